/**
 * Log paths whose values are replaced by `[redacted]` in the API's logs: credentials in headers,
 * and any password or token field, at the top level or one object down. Fastify's own request logs
 * carry no headers or bodies; this is the net under any future `log.info({ body })`.
 */
export const API_REDACT_PATHS: readonly string[] = Object.freeze(
  [
    'req.headers.authorization',
    'req.headers.cookie',
    'req.headers["x-api-key"]',
    'res.headers["set-cookie"]',
    'headers.authorization',
    'headers.cookie',
  ].concat(
    ['password', 'currentPassword', 'newPassword', 'token', 'accessToken', 'refreshToken', 'access_token', 'refresh_token', 'client_secret', 'authorization', 'secret', 'jwtSecret', 'databaseUrl'].flatMap(
      (key) => [key, `*.${key}`],
    ),
  ),
);
