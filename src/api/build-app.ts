import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { AccessTokens } from '../accounts/access-tokens.js';
import { Accounts } from '../accounts/accounts.js';
import type { LockoutPolicy } from '../accounts/login-throttle.js';
import { createPasswordHasher, type PasswordHashCost } from '../accounts/password-hasher.js';
import type { Config } from '../core/config.js';
import { TipsterError } from '../core/errors.js';
import { silentLogger } from '../core/logger.js';
import type { Store } from '../store/store.js';
import type { AppServices } from './app-services.js';
import { CAPABILITY_PLUGINS, type CapabilityOptions } from './capabilities.js';
import type { ApiPlugin } from './define-plugin.js';
import { resolveJwtSecret } from './jwt-secret.js';
import { API_LOG_SERIALIZERS, API_REDACT_PATHS } from './log-redaction.js';
import { accessControlPlugin } from './plugins/access-control.js';
import type { AuthRateLimit } from './plugins/auth-routes.js';
import { errorsPlugin } from './plugins/errors.js';
import { healthPlugin } from './plugins/health.js';
import { metricsPlugin } from './plugins/metrics.js';
import { DOCS_PREFIX, openApiPlugin } from './plugins/openapi.js';
import { statusPlugin } from './plugins/status.js';
import { webAppPlugin } from './plugins/web-app.js';
import { SHARED_ACCOUNT_SCHEMAS } from './schemas/account-schemas.js';

export const API_PREFIX = '/api/v1';

/** What the composition root needs; everything but store and config has a production default. */
export interface BuildAppOptions {
  readonly store: Store;
  readonly config: Config;
  /** Base logger (default: silent); the API's child redacts credentials and tokens. */
  readonly logger?: Logger;
  /** Wall clock in epoch ms (default Date.now): tests move it to expire tokens and end lockouts. */
  readonly now?: () => number;
  /** argon2id cost (default OWASP's 19 MiB × 2); tests pass a tiny one. */
  readonly passwordHashCost?: PasswordHashCost;
  readonly lockout?: LockoutPolicy;
  /** How long a session check is trusted in this process (default 2,000 ms; 0 = check every request). */
  readonly sessionCheckMs?: number;
  /** Per-address limit on password-checking routes (default 30 per minute), or false. */
  readonly rateLimit?: AuthRateLimit | false;
  /** Node process metrics on /metrics (default true). */
  readonly defaultMetrics?: boolean;
  /** More capability plugins, mounted under /api/v1 after the built-in ones. */
  readonly plugins?: readonly ApiPlugin<CapabilityOptions>[];
  /** Maximum request body in bytes (default 64 KiB). */
  readonly bodyLimitBytes?: number;
}

const DEFAULT_RATE_LIMIT: AuthRateLimit = Object.freeze({ max: 30, timeWindowMs: 60_000 });
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{8,64}$/;

/** Fastify takes a hop count as a function: trust the first `hops` proxies in front of us. */
function trustProxyOption(trust: boolean | number | string): boolean | string | ((address: string, hop: number) => boolean) {
  return typeof trust === 'number' ? (_address, hop) => hop < trust : trust;
}

function packageVersion(): string {
  // Same relative path from src/api and dist/api.
  const pkg = createRequire(import.meta.url)('../../package.json') as { version?: string };
  return pkg.version ?? '0.0.0';
}

/**
 * The composition root of the HTTP API: a Fastify instance with one plugin per capability.
 * Shared plugins first (errors, access control, metrics, health, status, OpenAPI), then the
 * capability routes under /api/v1. Call `app.listen()` to serve, or `app.inject()` in tests.
 */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const now = options.now ?? Date.now;
  const baseLogger = options.logger ?? silentLogger();
  const logger = baseLogger.child({ component: 'api' }, { redact: { paths: [...API_REDACT_PATHS], censor: '[redacted]' }, serializers: API_LOG_SERIALIZERS });
  const accessTokens = new AccessTokens(resolveJwtSecret(options.config, logger), { ttlMs: options.config.http.accessTokenTtlSeconds * 1000, now });
  const accounts = new Accounts(options.store, {
    accessTokens,
    refreshTokenTtlMs: options.config.http.refreshTokenTtlSeconds * 1000,
    hasher: createPasswordHasher(options.passwordHashCost),
    now,
    logger,
    ...(options.lockout ? { lockout: options.lockout } : {}),
    ...(options.sessionCheckMs !== undefined ? { sessionCheckMs: options.sessionCheckMs } : {}),
  });
  await accounts.warmUp();
  const version = packageVersion();
  const services: AppServices = Object.freeze({ store: options.store, config: options.config, accounts, now, startedAtMs: now(), version });
  const rateLimitOption = options.rateLimit ?? DEFAULT_RATE_LIMIT;

  const app = Fastify({
    // Typed as Fastify's logger so the instance is a plain FastifyInstance for every plugin.
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimitBytes ?? 65_536,
    trustProxy: trustProxyOption(options.config.http.trustProxy),
    requestIdHeader: false,
    genReqId: (request) => {
      // Keep a caller's correlation id when it looks like one; otherwise make our own.
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
    },
    ajv: {
      customOptions: {
        // Unknown fields are errors, never silently dropped; report every problem, not just the first.
        removeAdditional: false,
        allErrors: true,
        // `type: ['string', 'number', 'boolean']` (pipeline parameters) is a deliberate union.
        allowUnionTypes: true,
      },
    },
  });
  app.decorate('tipster', services);
  // JSON only (the token endpoint adds forms in its own scope): a text body is a 415, not a confusing 400.
  app.removeContentTypeParser('text/plain');

  await app.register(errorsPlugin);
  await app.register(accessControlPlugin, { publicPrefixes: [DOCS_PREFIX] });
  for (const schema of SHARED_ACCOUNT_SCHEMAS) app.addSchema(schema);
  if (rateLimitOption !== false) {
    await app.register(rateLimit, {
      global: false,
      errorResponseBuilder: (_request, context) =>
        new TipsterError('TIPSTER_ERR_API_RATE_LIMITED', { retryAfterSeconds: Math.max(1, Math.ceil(context.ttl / 1000)) }),
    });
  }
  await app.register(openApiPlugin, { version });
  await app.register(metricsPlugin, { defaultMetrics: options.defaultMetrics ?? true });
  await app.register(healthPlugin);
  await app.register(statusPlugin);
  const capabilityOptions: CapabilityOptions = { rateLimit: rateLimitOption };
  for (const plugin of [...CAPABILITY_PLUGINS, ...(options.plugins ?? [])]) {
    await app.register(plugin, { ...capabilityOptions, prefix: API_PREFIX });
  }
  // The dashboard at / (a static bundle that talks to /api/v1).
  await app.register(webAppPlugin);
  await app.ready();
  return app;
}
