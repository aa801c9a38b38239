import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, expect, it } from 'vitest';
import { definePlugin } from '../../src/api/define-plugin.js';
import { describePerBackend } from '../support/backends.js';
import { GOOD_PASSWORD, bearer, startTestApp, type SessionJson } from './support/test-app.js';

class LogCapture extends Writable {
  lines: string[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.lines.push(...chunk.toString().split('\n').filter(Boolean));
    done();
  }
}

// Someone logs a request body carelessly: the redaction net must still catch the secrets in it.
const carelessPlugin = definePlugin({ name: 'careless-logger' }, async (app) => {
  app.post(
    '/careless',
    { config: { access: 'public' }, schema: { body: { type: 'object', additionalProperties: true }, response: { 204: { type: 'null' } } } },
    async (request, reply) => {
      request.log.info({ body: request.body, headers: request.headers }, 'careless debug line');
      throw new Error('boom');
    },
  );
});

describePerBackend('API logs', (backend) => {
  afterAll(() => backend.cleanup());

  it('never contain passwords, tokens or the signing key, even at trace level', async () => {
    const capture = new LogCapture();
    const jwtSecret = 'jwt-signing-secret-that-must-never-be-logged-0123456789';
    const t = await startTestApp(backend, { logger: pino({ level: 'trace' }, capture), env: { TIPSTER_JWT_SECRET: jwtSecret }, plugins: [carelessPlugin] });
    const newPassword = 'brand new passphrase for logs';
    try {
      const signup = await t.app.inject({ method: 'POST', url: '/api/v1/auth/signup', payload: { username: 'logan', password: GOOD_PASSWORD, bankroll: { amount: '10' }, riskLevel: 'low' } });
      const session = signup.json<SessionJson>();
      await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'logan', password: 'a wrong password attempt' } });
      await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'nobody', password: 'unknown user password' } });
      const form = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ grant_type: 'password', username: 'logan', password: GOOD_PASSWORD }).toString(),
      });
      const refreshed = (await t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: session.refreshToken } })).json<SessionJson>();
      await t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: session.refreshToken } }); // replay: logged as a warning
      const fresh = (await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'logan', password: GOOD_PASSWORD } })).json<SessionJson>();
      await t.app.inject({ method: 'POST', url: '/api/v1/me/password', headers: bearer(fresh), payload: { currentPassword: GOOD_PASSWORD, newPassword } });
      await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: `{"username":"logan","password":"${newPassword}"` });
      // A client puts its tokens in the URL: refused (no route takes them), and not logged either.
      await t.app.inject({ method: 'GET', url: `/api/v1/me?access_token=${fresh.accessToken}&refresh_token=${fresh.refreshToken}&page=2` });
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/careless',
        headers: { authorization: `Bearer ${fresh.accessToken}`, cookie: 'sid=cookie-secret-value' },
        payload: { password: 'careless-password-value', refreshToken: fresh.refreshToken },
      });

      const log = capture.lines.join('\n');
      expect(capture.lines.length).toBeGreaterThan(20); // trace level really logged the requests
      const secrets = [
        GOOD_PASSWORD,
        newPassword,
        'a wrong password attempt',
        'unknown user password',
        'careless-password-value',
        'cookie-secret-value',
        jwtSecret,
        session.accessToken,
        session.refreshToken,
        refreshed.accessToken,
        refreshed.refreshToken,
        fresh.accessToken,
        fresh.refreshToken,
        form.json<{ access_token: string }>().access_token,
      ];
      for (const secret of secrets) expect(log, `a secret (${secret.slice(0, 6)}…) reached the log`).not.toContain(secret);
      // Tokens are recognisable by shape too.
      expect(log).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/);
      expect(log).not.toMatch(/tip_rt_[A-Za-z0-9_-]{20,}/);

      expect(log).toContain('/api/v1/me?access_token=[redacted]&refresh_token=[redacted]&page=2');
      // The careless line is there, with its secrets censored; the 500 is logged with its request id.
      const careless = capture.lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'careless debug line');
      expect(careless?.body).toMatchObject({ password: '[redacted]', refreshToken: '[redacted]' });
      expect(careless?.headers).toMatchObject({ authorization: '[redacted]', cookie: '[redacted]' });
      const failure = capture.lines.map((l) => JSON.parse(l) as { msg?: string; reqId?: string; code?: string }).find((l) => l.msg === 'request failed');
      expect(failure).toMatchObject({ code: 'TIPSTER_ERR_API_INTERNAL' });
      expect(failure?.reqId).toEqual(expect.any(String));
    } finally {
      await t.close();
    }
  });
});
