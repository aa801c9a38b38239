import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { definePlugin } from '../../src/api/define-plugin.js';
import { ERROR_CATALOGUE } from '../../src/core/errors.js';
import { availableBackends } from '../support/backends.js';
import { GOOD_PASSWORD, bearer, problemOf, signUp, startTestApp, type TestApp } from './support/test-app.js';

const backend = availableBackends()[0]!;

// A capability that fails the way real code does: an unexpected exception with internals in it.
const brokenPlugin = definePlugin({ name: 'broken' }, async (app) => {
  app.get('/broken', { config: { access: 'public' }, schema: { response: { 200: { type: 'object' } } } }, async () => {
    throw new Error('connect ECONNREFUSED 10.1.2.3:5432 at /srv/tipster/src/secret-module.ts:42');
  });
});

describe('API errors are problem+json', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp(backend, { plugins: [brokenPlugin] });
  });
  afterEach(() => t.close());
  afterAll(() => backend.cleanup());

  const signup = (payload: unknown) => t.app.inject({ method: 'POST', url: '/api/v1/auth/signup', payload: payload as Record<string, unknown> });

  it('names every unknown field, at the top level and nested, with a stable code', async () => {
    const response = await signup({ username: 'zoe', password: GOOD_PASSWORD, bankroll: { amount: '10', colour: 'red' }, riskLevel: 'low', isAdmin: true });
    expect(response.statusCode).toBe(400);
    const problem = problemOf(response);
    expect(problem).toMatchObject({
      type: 'urn:tipster:error:TIPSTER_ERR_API_UNKNOWN_FIELD',
      title: 'Bad Request',
      status: 400,
      code: 'TIPSTER_ERR_API_UNKNOWN_FIELD',
      instance: '/api/v1/auth/signup',
    });
    expect(problem.detail).toMatch(/unknown field\(s\): (bankroll\.colour, isAdmin|isAdmin, bankroll\.colour)/);
    expect(problem.errors).toEqual(
      expect.arrayContaining([
        { field: 'isAdmin', location: 'body', message: 'unknown field' },
        { field: 'bankroll.colour', location: 'body', message: 'unknown field' },
      ]),
    );
    expect(problem.hint).toMatch(/\/docs/);
  });

  it('lists missing and invalid fields with messages a person can act on', async () => {
    const problem = problemOf(await signup({ username: 'x!', riskLevel: 'reckless', bankroll: { amount: '-3' } }));
    expect(problem.code).toBe('TIPSTER_ERR_API_VALIDATION_FAILED');
    const byField = Object.fromEntries((problem.errors ?? []).map((e) => [e.field, e.message]));
    expect(byField.password).toBe('is required');
    expect(byField.riskLevel).toBe('must be one of low, medium, high');
    expect(byField.username).toBeDefined();
    expect(byField['bankroll.amount']).toMatch(/pattern/);
  });

  it('answers malformed JSON with a 400 that does not echo the body back', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"username": "zoe", "password": "hunter2-secret-value"',
    });
    expect(response.statusCode).toBe(400);
    expect(problemOf(response).code).toBe('TIPSTER_ERR_API_MALFORMED_REQUEST');
    expect(response.body).not.toContain('hunter2');
  });

  it('answers unknown routes, wrong media types and oversized bodies with their own codes', async () => {
    const missing = await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here?x=1' });
    expect(missing.statusCode).toBe(404);
    expect(problemOf(missing)).toMatchObject({ code: 'TIPSTER_ERR_API_ROUTE_NOT_FOUND', detail: 'No route GET /api/v1/nothing-here', instance: '/api/v1/nothing-here' });
    const text = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'text/plain' }, payload: 'hello' });
    expect(problemOf(text)).toMatchObject({ status: 415, code: 'TIPSTER_ERR_API_UNSUPPORTED_MEDIA_TYPE', detail: 'Content-Type text/plain is not accepted here' });
    const huge = await signup({ username: 'zoe', password: 'x'.repeat(70_000), bankroll: { amount: '1' }, riskLevel: 'low' });
    expect(problemOf(huge)).toMatchObject({ status: 413, code: 'TIPSTER_ERR_API_BODY_TOO_LARGE' });
  });

  it('turns an unexpected failure into a 500 that leaks nothing but the request id, which the log has', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/broken' });
    expect(response.statusCode).toBe(500);
    const problem = problemOf(response);
    expect(problem.code).toBe('TIPSTER_ERR_API_INTERNAL');
    expect(problem.requestId).toBe(response.headers['x-request-id']);
    expect(problem.detail).toBe(`Internal server error (request ${problem.requestId})`);
    expect(response.body).not.toMatch(/ECONNREFUSED|secret-module|10\.1\.2\.3|\bat \//);
  });

  it('keeps a caller-supplied request id, and makes one up otherwise', async () => {
    const given = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { 'x-request-id': 'client-abc-123' } });
    expect(given.headers['x-request-id']).toBe('client-abc-123');
    expect(problemOf(given).requestId).toBe('client-abc-123');
    const hostile = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { 'x-request-id': 'bad id\nwith newline' } });
    expect(hostile.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('rate-limits the password routes per address with a 429 problem and Retry-After', async () => {
    const limited = await startTestApp(backend, { rateLimit: { max: 3, timeWindowMs: 60_000 } });
    try {
      const attempt = (remoteAddress: string) =>
        limited.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'zed', password: 'whatever it is' }, remoteAddress });
      for (let i = 0; i < 3; i++) expect((await attempt('10.9.9.9')).statusCode).toBe(401);
      const blocked = await attempt('10.9.9.9');
      expect(blocked.statusCode).toBe(429);
      expect(problemOf(blocked)).toMatchObject({ code: 'TIPSTER_ERR_API_RATE_LIMITED', retryAfterSeconds: 60 });
      expect(blocked.headers['retry-after']).toBe('60');
      expect((await attempt('10.9.9.10')).statusCode).toBe(401);
    } finally {
      await limited.close();
    }
  });

  it('uses only catalogued codes, with the status the catalogue gives', async () => {
    const session = await signUp(t.app, 'yann');
    const responses = await Promise.all([
      t.app.inject({ method: 'GET', url: '/api/v1/me' }),
      t.app.inject({ method: 'GET', url: '/api/v1/admin/users', headers: bearer(session) }),
      t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: 'Bearer x.y.z' } }),
      signup({}),
      t.app.inject({ method: 'GET', url: '/api/v1/broken' }),
    ]);
    for (const response of responses) {
      const problem = problemOf(response);
      const entry = ERROR_CATALOGUE[problem.code as keyof typeof ERROR_CATALOGUE];
      expect(entry, problem.code).toBeDefined();
      expect(response.statusCode).toBe(entry.status);
      expect(problem.status).toBe(entry.status);
    }
  });
});
