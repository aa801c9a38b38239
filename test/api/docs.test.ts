import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { availableBackends } from '../support/backends.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const backend = availableBackends()[0]!;

interface OpenApi {
  openapi: string;
  paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, { content?: Record<string, unknown> }>; requestBody?: { content: Record<string, unknown> } }>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
}

describe('API documentation at /docs', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp(backend);
  });
  afterEach(() => t.close());
  afterAll(() => backend.cleanup());

  it('serves Swagger UI from the package itself, with no CDN', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).not.toMatch(/<script[^>]+src="https?:\/\//);
    expect(page.body).not.toMatch(/<link[^>]+href="https?:\/\//);
    const bundle = await t.app.inject({ method: 'GET', url: '/docs/static/swagger-ui-bundle.js' });
    expect(bundle.statusCode).toBe(200);
    expect(bundle.body.length).toBeGreaterThan(100_000);
  });

  it('documents every API route with its security and its problem+json errors', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json<OpenApi>();
    expect(spec.openapi).toBe('3.1.0');
    for (const route of t.app.routeAccess.filter((r) => r.url.startsWith('/api/') && r.method !== 'HEAD')) {
      const path = route.url.replace(/:([A-Za-z]+)/g, '{$1}');
      const operation = spec.paths[path]?.[route.method.toLowerCase()];
      expect(operation, `${route.method} ${route.url}`).toBeDefined();
      expect(operation!.security, route.url).toEqual(route.access === 'public' ? [] : [{ bearerAuth: [] }, { oauth2: [] }]);
      expect(Object.keys(operation!.responses['4XX']?.content ?? {}), route.url).toEqual(['application/problem+json']);
    }
    expect(spec.components.schemas).toHaveProperty('Problem');
    expect(spec.components.schemas).toHaveProperty('User');
    expect(spec.components.securitySchemes).toHaveProperty('oauth2');
    expect(Object.keys(spec.paths['/api/v1/auth/token']!.post!.requestBody!.content)).toContain('application/x-www-form-urlencoded');
  });
});
