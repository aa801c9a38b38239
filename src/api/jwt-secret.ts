import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../core/config.js';
import { TipsterError } from '../core/errors.js';

export const JWT_SECRET_FILE = 'jwt-secret';

/**
 * The key that signs access tokens: TIPSTER_JWT_SECRET when set; otherwise the one kept in
 * `<varDir>/jwt-secret`, generated (384 random bits, mode 0600) on first use so tokens survive a
 * restart. The value is never logged.
 */
export function resolveJwtSecret(config: Config, logger: Logger): Uint8Array {
  if (config.http.jwtSecret !== null) return Buffer.from(config.http.jwtSecret.reveal(), 'utf8');
  const file = path.join(config.varDir, JWT_SECRET_FILE);
  fs.mkdirSync(config.varDir, { recursive: true });
  try {
    // 'wx' fails if another process created it first; then we read theirs, so both agree.
    fs.writeFileSync(file, `${randomBytes(48).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
    logger.info({ file }, 'generated a JWT signing key (set TIPSTER_JWT_SECRET to share one between servers)');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const mode = fs.statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    fs.chmodSync(file, 0o600);
    logger.warn({ file, mode: mode.toString(8) }, 'the JWT signing key file was readable by others; its mode is now 0600');
  }
  const secret = fs.readFileSync(file, 'utf8').trim();
  if (secret.length < 32) {
    throw new TipsterError('TIPSTER_ERR_CONFIG_INVALID', {
      variable: 'TIPSTER_JWT_SECRET',
      reason: `it is unset and ${file} holds fewer than 32 characters; delete the file to have a new key generated`,
    });
  }
  return Buffer.from(secret, 'utf8');
}
