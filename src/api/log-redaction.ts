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

const SENSITIVE_QUERY_KEY = /token|pass|secret|key|code|auth|session|sig/i;

/** A URL for the log: values of query parameters that look like credentials become `[redacted]`. */
export function redactUrlForLog(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const pairs = [...new URLSearchParams(url.slice(q + 1))].map(
    ([key, value]) => `${encodeURIComponent(key)}=${SENSITIVE_QUERY_KEY.test(key) ? '[redacted]' : encodeURIComponent(value)}`,
  );
  return `${url.slice(0, q)}?${pairs.join('&')}`;
}

interface LoggedRequest {
  readonly method: string;
  readonly url: string;
  readonly host?: string;
  readonly ip?: string;
  readonly socket?: { readonly remotePort?: number };
}

/**
 * Fastify's request serializer, except that the URL goes through redactUrlForLog: no route takes a
 * token in the query string, but a client may still send one, and the request line is logged
 * before validation refuses it.
 */
export const API_LOG_SERIALIZERS = Object.freeze({
  req: (req: LoggedRequest) => ({
    method: req.method,
    url: redactUrlForLog(req.url),
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  }),
});
