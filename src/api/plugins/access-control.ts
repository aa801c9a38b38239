import type { RouteOptions } from 'fastify';
import { roleAtLeast } from '../../accounts/roles.js';
import { TipsterError } from '../../core/errors.js';
import { definePlugin } from '../define-plugin.js';
import { PROBLEM_RESPONSE } from '../problem.js';
import { ROUTE_ACCESS_LEVELS, type RouteAccess } from '../route-access.js';

/** One route and who may call it, as registered (the role-matrix test walks this list). */
export interface RouteAccessEntry {
  readonly method: string;
  readonly url: string;
  readonly access: RouteAccess;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route with its declared access, filled as routes are registered. */
    routeAccess: readonly RouteAccessEntry[];
  }
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const BEARER = /^Bearer\s+([A-Za-z0-9._~+/=-]+)\s*$/i;
const EMPTY_QUERY = Object.freeze({ type: 'object', additionalProperties: false, properties: {} });

/**
 * Every route must say who may call it (`config.access`), or the app refuses to start. The check
 * runs in onRequest, before the body is read: anonymous callers get 401, too-weak roles 403.
 * API routes must also declare response schemas; an undeclared query string accepts no parameters.
 */
export const accessControlPlugin = definePlugin<{ publicPrefixes: readonly string[] }>(
  { name: 'tipster-access-control', dependencies: ['tipster-errors'], shared: true },
  async (app, options) => {
    const table: RouteAccessEntry[] = [];
    app.decorate('routeAccess', table);
    app.decorateRequest('principal', null);

    app.addHook('onRoute', (route: RouteOptions) => {
      const methods = (Array.isArray(route.method) ? route.method : [route.method]).map(String);
      const config = (route.config ??= {}) as { access?: RouteAccess };
      if (config.access === undefined && options.publicPrefixes.some((p) => route.url.startsWith(p))) config.access = 'public';
      const access = config.access;
      const undeclared = (missing: string) =>
        new TipsterError('TIPSTER_ERR_API_ROUTE_UNDECLARED', { method: methods.join(','), url: route.url, missing });
      if (access === undefined || !ROUTE_ACCESS_LEVELS.includes(access)) throw undeclared('config.access');
      for (const method of methods) table.push({ method, url: route.url, access });
      if (!route.url.startsWith('/api/')) return;

      const schema = (route.schema ??= {}) as Record<string, unknown> & { response?: Record<string, unknown> };
      if (schema.response === undefined) throw undeclared('a response schema');
      if (methods.some((m) => BODY_METHODS.has(m)) && schema.body === undefined) throw undeclared('a body schema');
      schema.querystring ??= EMPTY_QUERY;
      schema.response['4xx'] ??= PROBLEM_RESPONSE;
      schema.response['5xx'] ??= PROBLEM_RESPONSE;
      schema.security ??= access === 'public' ? [] : [{ bearerAuth: [] }, { oauth2: [] }];
      const note = access === 'public' ? 'Public.' : `Requires the **${access}** role or higher.`;
      schema.description = schema.description === undefined ? note : `${String(schema.description)}\n\n${note}`;
    });

    app.addHook('onRequest', async (request) => {
      const access = request.routeOptions.config.access;
      if (access === undefined || access === 'public') return;
      const header = request.headers.authorization;
      if (header === undefined || header === '') throw new TipsterError('TIPSTER_ERR_AUTH_REQUIRED', { required: access });
      const match = BEARER.exec(header);
      if (match === null) throw new TipsterError('TIPSTER_ERR_AUTH_TOKEN_INVALID', { reason: 'the Authorization header must be "Bearer <accessToken>"' });
      const principal = await app.tipster.accounts.authenticate(match[1]!);
      request.principal = principal;
      if (!roleAtLeast(principal.role, access)) throw new TipsterError('TIPSTER_ERR_AUTH_FORBIDDEN', { required: access, role: principal.role });
    });
  },
);
