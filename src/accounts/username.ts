import { TipsterError } from '../core/errors.js';

const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{2,31}$/;

/** JSON-schema pattern of a username, shared by the API schemas. */
export const USERNAME_SCHEMA_PATTERN = USERNAME_PATTERN.source;

/** The case-insensitive key usernames are unique and looked up by (ASCII only, so no look-alike tricks). */
export function usernameKey(username: string): string {
  return username.toLowerCase();
}

/** Throws TIPSTER_ERR_ACCOUNT_USERNAME_INVALID unless `username` is 3–32 ASCII letters, digits, '.', '_' or '-'. */
export function assertValidUsername(username: string): void {
  if (USERNAME_PATTERN.test(username)) return;
  const reason =
    username.length < 3 || username.length > 32
      ? `it has ${username.length} characters, 3 to 32 are allowed`
      : /^[._-]/.test(username)
        ? 'it must start with a letter or a digit'
        : 'it may only contain ASCII letters, digits, ".", "_" and "-"';
  throw new TipsterError('TIPSTER_ERR_ACCOUNT_USERNAME_INVALID', { username: username.slice(0, 40), reason });
}
