/**
 * True when `error` is a unique-constraint violation from either backend (SQLite
 * `SQLITE_CONSTRAINT_UNIQUE`, PostgreSQL SQLSTATE 23505), so callers can turn a lost race into
 * their own catalogued error.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
}
