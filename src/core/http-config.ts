import { inspect } from 'node:util';
import type { ConfigVariable } from './config.js';
import { TipsterError } from './errors.js';

/** A secret that never prints: JSON, logs and `util.inspect` show `[redacted]`; `reveal()` gives the value. */
export class SecretValue {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The secret itself: pass it straight to the code that needs it, never to a log or a message. */
  reveal(): string {
    return this.#value;
  }

  toJSON(): string {
    return '[redacted]';
  }

  toString(): string {
    return '[redacted]';
  }

  [inspect.custom](): string {
    return '[redacted]';
  }
}

/** The HTTP API's settings (`tipster serve`). */
export interface HttpConfig {
  readonly host: string;
  readonly port: number;
  /** HS256 key for access tokens; null = generate one and keep it in `<varDir>/jwt-secret`. */
  readonly jwtSecret: SecretValue | null;
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlSeconds: number;
  /** Fastify `trustProxy`: false, true, a hop count, or the proxies' addresses/CIDRs. */
  readonly trustProxy: boolean | number | string;
}

export const HTTP_CONFIG_VARIABLES: readonly ConfigVariable[] = Object.freeze([
  { name: 'TIPSTER_HTTP_HOST', defaultValue: '127.0.0.1', description: 'Address `tipster serve` listens on (`0.0.0.0` for every interface).' },
  { name: 'TIPSTER_HTTP_PORT', defaultValue: '8080', description: 'Port `tipster serve` listens on.' },
  {
    name: 'TIPSTER_JWT_SECRET',
    defaultValue: '(generated into $TIPSTER_VAR_DIR/jwt-secret)',
    description: 'Key (≥ 32 characters) that signs access tokens. Set the same value on every server behind one address.',
  },
  { name: 'TIPSTER_ACCESS_TOKEN_TTL_SECONDS', defaultValue: '900', description: 'Lifetime of an access token (30 s to 1 day).' },
  { name: 'TIPSTER_REFRESH_TOKEN_TTL_SECONDS', defaultValue: '1209600', description: 'A session ends when not refreshed for this long (14 days by default).' },
  {
    name: 'TIPSTER_HTTP_TRUST_PROXY',
    defaultValue: 'false',
    description: 'Behind a reverse proxy: `true`, a hop count, or the proxy addresses/CIDRs, so rate limits see client addresses.',
  },
]);

function integerIn(read: (name: string) => string | undefined, name: string, fallback: number, min: number, max: number): number {
  const text = read(name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new TipsterError('TIPSTER_ERR_CONFIG_INVALID', { variable: name, reason: `"${text}" is not a whole number from ${min} to ${max}` });
  }
  return value;
}

/** Reads and validates the HTTP settings; `read` returns a trimmed variable or undefined. */
export function loadHttpConfig(read: (name: string) => string | undefined): HttpConfig {
  const secret = read('TIPSTER_JWT_SECRET');
  if (secret !== undefined && secret.length < 32) {
    // Never echo the value: it is a secret even when it is a bad one.
    throw new TipsterError('TIPSTER_ERR_CONFIG_INVALID', {
      variable: 'TIPSTER_JWT_SECRET',
      reason: `it has ${secret.length} characters; at least 32 are needed (e.g. \`openssl rand -base64 48\`)`,
    });
  }
  const accessTokenTtlSeconds = integerIn(read, 'TIPSTER_ACCESS_TOKEN_TTL_SECONDS', 900, 30, 86_400);
  const refreshTokenTtlSeconds = integerIn(read, 'TIPSTER_REFRESH_TOKEN_TTL_SECONDS', 1_209_600, 300, 31_536_000);
  if (refreshTokenTtlSeconds <= accessTokenTtlSeconds) {
    throw new TipsterError('TIPSTER_ERR_CONFIG_INVALID', {
      variable: 'TIPSTER_REFRESH_TOKEN_TTL_SECONDS',
      reason: `${refreshTokenTtlSeconds} must be longer than TIPSTER_ACCESS_TOKEN_TTL_SECONDS (${accessTokenTtlSeconds})`,
    });
  }
  const proxy = read('TIPSTER_HTTP_TRUST_PROXY') ?? 'false';
  const trustProxy = proxy === 'false' ? false : proxy === 'true' ? true : /^\d+$/.test(proxy) ? Number(proxy) : proxy;
  return Object.freeze({
    host: read('TIPSTER_HTTP_HOST') ?? '127.0.0.1',
    port: integerIn(read, 'TIPSTER_HTTP_PORT', 8080, 0, 65_535),
    jwtSecret: secret === undefined ? null : new SecretValue(secret),
    accessTokenTtlSeconds,
    refreshTokenTtlSeconds,
    trustProxy,
  });
}
