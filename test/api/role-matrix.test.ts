import { afterAll, afterEach, beforeEach, expect, it } from 'vitest';
import type { RouteAccess } from '../../src/api/route-access.js';
import { describePerBackend } from '../support/backends.js';
import { bearer, problemOf, startTestApp, userWithRole, type SessionJson, type TestApp } from './support/test-app.js';

/**
 * The routes anyone may call. A new route is not public unless it is added here on purpose,
 * so forgetting `access` or choosing 'public' by accident fails this suite.
 */
const PUBLIC_ROUTES = new Set([
  'GET /healthz',
  'GET /readyz',
  'GET /metrics',
  'POST /api/v1/auth/signup',
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/token',
  'POST /api/v1/auth/refresh',
  'POST /api/v1/auth/logout',
  'GET /',
  'GET /assets/*',
]);

const ROLE_ORDER = ['free', 'premium', 'admin'] as const;

function concreteUrl(url: string): string {
  // An id nobody has: the admin's own requests must not delete or change the test users.
  return url.replace(/:[A-Za-z]+/g, '999999').replace(/\*$/, 'x');
}

describePerBackend('API role matrix', (backend) => {
  let t: TestApp;
  let sessions: Record<(typeof ROLE_ORDER)[number], SessionJson>;
  beforeEach(async () => {
    t = await startTestApp(backend);
    sessions = {
      free: await userWithRole(t.app, 'free-user', 'free'),
      premium: await userWithRole(t.app, 'premium-user', 'premium'),
      admin: await userWithRole(t.app, 'admin-user', 'admin'),
    };
  });
  afterEach(() => t.close());
  afterAll(() => backend.cleanup());

  it('every route declares its access, and only the allow-listed ones are public', () => {
    const routes = t.app.routeAccess.filter((r) => r.method !== 'HEAD');
    expect(routes.length).toBeGreaterThan(10);
    const publicOnes = routes.filter((r) => r.access === 'public' && !r.url.startsWith('/docs')).map((r) => `${r.method} ${r.url}`);
    expect(new Set(publicOnes)).toEqual(PUBLIC_ROUTES);
  });

  it('every non-public route refuses anonymous callers (401) and weaker roles (403), before reading the body', async () => {
    const guarded = t.app.routeAccess.filter((r) => r.access !== 'public' && r.method !== 'HEAD');
    const checked: string[] = [];
    for (const route of guarded) {
      const url = concreteUrl(route.url);
      const method = route.method as 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
      const label = `${route.method} ${route.url} (${route.access})`;
      // A nonsense body: access must be decided before validation could complain about it.
      const payload = method === 'GET' || method === 'DELETE' ? undefined : { nonsense: true };
      const anonymous = await t.app.inject({ method, url, ...(payload ? { payload } : {}) });
      expect(anonymous.statusCode, label).toBe(401);
      expect(problemOf(anonymous).code, label).toBe('TIPSTER_ERR_AUTH_REQUIRED');

      const required = ROLE_ORDER.indexOf(route.access as Exclude<RouteAccess, 'public'>);
      for (const role of ROLE_ORDER) {
        const response = await t.app.inject({ method, url, headers: bearer(sessions[role]), ...(payload ? { payload } : {}) });
        if (ROLE_ORDER.indexOf(role) < required) {
          expect(response.statusCode, `${label} as ${role}`).toBe(403);
          expect(problemOf(response).code, `${label} as ${role}`).toBe('TIPSTER_ERR_AUTH_FORBIDDEN');
        } else {
          expect([401, 403], `${label} as ${role}: ${response.body}`).not.toContain(response.statusCode);
        }
      }
      checked.push(label);
    }
    expect(checked.length).toBeGreaterThanOrEqual(9);
  });

  it('refuses to start when a route forgets to declare who may call it', async () => {
    const { buildApp } = await import('../../src/api/build-app.js');
    const { definePlugin } = await import('../../src/api/define-plugin.js');
    const careless = definePlugin({ name: 'careless' }, async (app) => {
      app.get('/oops', { schema: { response: { 200: { type: 'object' } } } }, async () => ({}));
    });
    await expect(buildApp({ store: t.store, config: t.app.tipster.config, plugins: [careless], defaultMetrics: false })).rejects.toThrow(
      'Route GET /api/v1/oops does not declare config.access',
    );
  });
});
