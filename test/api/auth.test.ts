import { afterAll, afterEach, beforeEach, expect, it } from 'vitest';
import { buildApp } from '../../src/api/build-app.js';
import { describePerBackend } from '../support/backends.js';
import { GOOD_PASSWORD, bearer, problemOf, signUp, startTestApp, type SessionJson, type TestApp } from './support/test-app.js';

describePerBackend('API accounts and authentication', (backend) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp(backend);
  });
  afterEach(() => t.close());
  afterAll(() => backend.cleanup());

  const login = (username: string, password: string, remoteAddress = '127.0.0.1') =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, remoteAddress });
  const refresh = (refreshToken: string) => t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken } });
  const me = (session: { accessToken: string }) => t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(session) });

  it('signs up a free user with an exact bankroll and risk level, and signs them in at once', async () => {
    const session = await signUp(t.app, 'Alice', { bankroll: { amount: '2500.5', currency: 'GBP' }, riskLevel: 'low' });
    expect(session.tokenType).toBe('Bearer');
    expect(session.expiresIn).toBe(900);
    expect(session.user).toMatchObject({ username: 'Alice', role: 'free', riskLevel: 'low', disabled: false, bankroll: { amount: '2500.50', currency: 'GBP', minorUnits: 250050 } });
    const profile = await me(session);
    expect(profile.statusCode).toBe(200);
    expect(profile.json()).toMatchObject({ id: session.user.id, username: 'Alice' });
    expect(profile.body).not.toMatch(/password|hash/i);
  });

  it('treats usernames case-insensitively: a second "alice" is refused', async () => {
    await signUp(t.app, 'Alice');
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/auth/signup', payload: { username: 'ALICE', password: GOOD_PASSWORD, bankroll: { amount: '10' }, riskLevel: 'high' } });
    expect(again.statusCode).toBe(409);
    expect(problemOf(again).code).toBe('TIPSTER_ERR_ACCOUNT_USERNAME_TAKEN');
    expect((await login('aLiCe', GOOD_PASSWORD)).statusCode).toBe(200);
  });

  it('rejects weak and common passwords, saying why and how to choose better', async () => {
    const attempt = (password: string) =>
      t.app.inject({ method: 'POST', url: '/api/v1/auth/signup', payload: { username: 'bob', password, bankroll: { amount: '100' }, riskLevel: 'medium' } });
    const short = problemOf(await attempt('Tr0ub4dor&3'));
    expect(short.code).toBe('TIPSTER_ERR_AUTH_PASSWORD_WEAK');
    expect(short.detail).toBe('The password is too weak: it has 11 characters; at least 12 are needed');
    expect(short.hint).toMatch(/passphrase/);
    expect(problemOf(await attempt('Password2024!')).detail).toMatch(/commonly used password/);
    expect(problemOf(await attempt('qwertyuiop123')).detail).toMatch(/commonly used|sequence/);
    expect(problemOf(await attempt('bob-the-builder-99')).detail).toMatch(/contains the username/);
    expect((await login('bob', 'Password2024!')).statusCode).toBe(401); // nothing was created
  });

  it('rejects a bankroll with more decimals than its currency has', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      payload: { username: 'carol', password: GOOD_PASSWORD, bankroll: { amount: '100.5', currency: 'JPY' }, riskLevel: 'medium' },
    });
    expect(response.statusCode).toBe(400);
    expect(problemOf(response)).toMatchObject({ code: 'TIPSTER_ERR_ACCOUNT_BANKROLL_INVALID', detail: 'The bankroll is invalid: JPY amounts have no decimals, "100.5" has 1' });
  });

  it('signs in with JSON and with the OAuth2 password form, and both tokens work', async () => {
    await signUp(t.app, 'dave');
    const json = await login('dave', GOOD_PASSWORD);
    expect(json.statusCode).toBe(200);
    expect((await me(json.json<SessionJson>())).statusCode).toBe(200);

    const form = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ grant_type: 'password', username: 'dave', password: GOOD_PASSWORD, scope: '' }).toString(),
    });
    expect(form.statusCode).toBe(200);
    const oauth = form.json<{ access_token: string; token_type: string; expires_in: number; refresh_token: string }>();
    expect(oauth).toMatchObject({ token_type: 'bearer', expires_in: 900 });
    expect((await me({ accessToken: oauth.access_token })).statusCode).toBe(200);

    const refreshed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `grant_type=refresh_token&refresh_token=${encodeURIComponent(oauth.refresh_token)}`,
    });
    expect(refreshed.statusCode).toBe(200);
    // Only the token endpoint takes forms.
    const formLogin = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'username=dave' });
    expect(formLogin.statusCode).toBe(415);
    expect(problemOf(formLogin).code).toBe('TIPSTER_ERR_API_UNSUPPORTED_MEDIA_TYPE');
  });

  it('rotates refresh tokens, and a replayed one ends the whole session', async () => {
    const first = await signUp(t.app, 'erin');
    const second = await refresh(first.refreshToken);
    expect(second.statusCode).toBe(200);
    const rotated = second.json<SessionJson>();
    expect(rotated.refreshToken).not.toBe(first.refreshToken);
    expect((await me(rotated)).statusCode).toBe(200);

    // Someone replays the old token: refused, and the session (with the new tokens) is over.
    const replay = await refresh(first.refreshToken);
    expect(replay.statusCode).toBe(401);
    expect(problemOf(replay).code).toBe('TIPSTER_ERR_AUTH_REFRESH_INVALID');
    expect((await refresh(rotated.refreshToken)).statusCode).toBe(401);
    const after = await me(rotated);
    expect(after.statusCode).toBe(401);
    expect(problemOf(after).detail).toMatch(/session has ended/);
  });

  it('signs out: the refresh token stops working and the access token is refused', async () => {
    const session = await signUp(t.app, 'frank');
    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', payload: { refreshToken: session.refreshToken } });
    expect(out.statusCode).toBe(204);
    expect((await refresh(session.refreshToken)).statusCode).toBe(401);
    expect((await me(session)).statusCode).toBe(401);
    // Unknown tokens are ignored, so sign-out is safe to retry.
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', payload: { refreshToken: 'tip_rt_nope' } })).statusCode).toBe(204);
  });

  it('enforces token expiry: an expired access token says so, refresh renews it until the session lapses', async () => {
    const session = await signUp(t.app, 'grace');
    t.clock.advance(899_000);
    expect((await me(session)).statusCode).toBe(200);
    t.clock.advance(2_000);
    const expired = await me(session);
    expect(expired.statusCode).toBe(401);
    expect(problemOf(expired).code).toBe('TIPSTER_ERR_AUTH_TOKEN_EXPIRED');
    expect(expired.headers['www-authenticate']).toContain('error="invalid_token"');

    const renewed = await refresh(session.refreshToken);
    expect(renewed.statusCode).toBe(200);
    expect((await me(renewed.json<SessionJson>())).statusCode).toBe(200);

    t.clock.advance(14 * 86_400_000 + 1_000);
    expect(problemOf(await refresh(renewed.json<SessionJson>().refreshToken)).code).toBe('TIPSTER_ERR_AUTH_REFRESH_INVALID');
  });

  it('refuses forged, tampered and malformed tokens', async () => {
    const session = await signUp(t.app, 'heidi');
    const [header, payload, signature] = session.accessToken.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const promoted = Buffer.from(JSON.stringify({ ...claims, role: 'admin', sub: '999' })).toString('base64url');
    for (const token of [`${header}.${promoted}.${signature}`, 'not-a-jwt', `${header}.${payload}.${'A'.repeat(43)}`]) {
      const response = await me({ accessToken: token });
      expect(response.statusCode, token).toBe(401);
      expect(problemOf(response).code).toBe('TIPSTER_ERR_AUTH_TOKEN_INVALID');
    }
    const basic = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: 'Basic YWxpY2U6cHc=' } });
    expect(problemOf(basic).detail).toMatch(/Bearer <accessToken>/);
  });

  it('answers an unknown username exactly like a wrong password (no user enumeration)', async () => {
    await signUp(t.app, 'ivan');
    const wrongPassword = await login('ivan', 'not the right password at all');
    const unknownUser = await login('ivanna', 'not the right password at all');
    expect(wrongPassword.statusCode).toBe(401);
    expect(unknownUser.statusCode).toBe(wrongPassword.statusCode);
    const strip = (body: Record<string, unknown>) => ({ ...body, requestId: undefined });
    expect(strip(unknownUser.json())).toEqual(strip(wrongPassword.json()));
    expect(problemOf(unknownUser).code).toBe('TIPSTER_ERR_AUTH_INVALID_CREDENTIALS');
    expect(unknownUser.headers['www-authenticate']).toBe(wrongPassword.headers['www-authenticate']);
  });

  it('takes about as long for an unknown username as for a wrong password (a real argon2 verification either way)', async () => {
    // A realistic cost so hashing dominates the timing, and no lockout in the way.
    const timed = await startTestApp(backend, { passwordHashCost: { memoryKiB: 8_192, timeCost: 2, parallelism: 1 }, lockout: { maxFailuresPerUsername: 1_000, maxFailuresPerIp: 1_000, windowMs: 60_000 } });
    try {
      await signUp(timed.app, 'timing-user');
      const median = async (username: string) => {
        const times: number[] = [];
        for (let i = 0; i < 7; i++) {
          const started = process.hrtime.bigint();
          const response = await timed.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: 'definitely not it' } });
          times.push(Number(process.hrtime.bigint() - started) / 1e6);
          expect(response.statusCode).toBe(401);
        }
        return times.sort((a, b) => a - b)[3]!;
      };
      const known = await median('timing-user');
      const unknown = await median('no-such-user');
      expect(unknown / known).toBeGreaterThan(0.5);
      expect(unknown / known).toBeLessThan(2);
    } finally {
      await timed.close();
    }
  });

  it('pauses sign-in for a username after 5 failures, for known and unknown usernames alike, until the window passes', async () => {
    await signUp(t.app, 'judy');
    for (const username of ['judy', 'nobody-here']) {
      for (let i = 0; i < 5; i++) expect((await login(username, `wrong password ${i}`)).statusCode).toBe(401);
      const locked = await login(username, GOOD_PASSWORD);
      expect(locked.statusCode).toBe(429);
      expect(problemOf(locked)).toMatchObject({ code: 'TIPSTER_ERR_AUTH_LOCKED', retryAfterSeconds: 900 });
      expect(locked.headers['retry-after']).toBe('900');
    }
    // Other usernames from the same address are unaffected (the per-address limit is higher).
    await signUp(t.app, 'kate');
    expect((await login('kate', GOOD_PASSWORD)).statusCode).toBe(200);
    t.clock.advance(15 * 60_000 + 1);
    expect((await login('judy', GOOD_PASSWORD)).statusCode).toBe(200);
  });

  it('pauses sign-in from an address after 20 failures across usernames; other addresses still sign in', async () => {
    await signUp(t.app, 'leo');
    for (let i = 0; i < 20; i++) expect((await login(`guess-${i}`, 'wrong password!!', '10.0.0.66')).statusCode).toBe(401);
    expect(problemOf(await login('leo', GOOD_PASSWORD, '10.0.0.66')).code).toBe('TIPSTER_ERR_AUTH_LOCKED');
    expect((await login('leo', GOOD_PASSWORD, '10.0.0.7')).statusCode).toBe(200);
  });

  it('changes bankroll and risk level; unknown fields are refused by name', async () => {
    const session = await signUp(t.app, 'mallory');
    const patched = await t.app.inject({ method: 'PATCH', url: '/api/v1/me', headers: bearer(session), payload: { bankroll: { amount: '1234.56' }, riskLevel: 'high' } });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ riskLevel: 'high', bankroll: { amount: '1234.56', currency: 'EUR', minorUnits: 123456 } });
    const currency = await t.app.inject({ method: 'PATCH', url: '/api/v1/me', headers: bearer(session), payload: { bankroll: { amount: '90000', currency: 'JPY' } } });
    expect(currency.json()).toMatchObject({ bankroll: { amount: '90000', currency: 'JPY' } });
    const role = await t.app.inject({ method: 'PATCH', url: '/api/v1/me', headers: bearer(session), payload: { role: 'admin' } });
    expect(role.statusCode).toBe(400);
    expect(problemOf(role)).toMatchObject({ code: 'TIPSTER_ERR_API_UNKNOWN_FIELD', detail: 'The request body has unknown field(s): role' });
    expect((await me(session)).json()).toMatchObject({ role: 'free' });
    const empty = await t.app.inject({ method: 'PATCH', url: '/api/v1/me', headers: bearer(session), payload: {} });
    expect(problemOf(empty).code).toBe('TIPSTER_ERR_API_VALIDATION_FAILED');
  });

  it('changes the password only with the current one, and ends the other sessions', async () => {
    const here = await signUp(t.app, 'niaj');
    const elsewhere = (await login('niaj', GOOD_PASSWORD)).json<SessionJson>();
    const change = (currentPassword: string, newPassword: string) =>
      t.app.inject({ method: 'POST', url: '/api/v1/me/password', headers: bearer(here), payload: { currentPassword, newPassword } });

    expect(problemOf(await change('wrong current password', 'a fresh new passphrase')).code).toBe('TIPSTER_ERR_AUTH_PASSWORD_INCORRECT');
    expect(problemOf(await change(GOOD_PASSWORD, 'short')).code).toBe('TIPSTER_ERR_AUTH_PASSWORD_WEAK');
    expect(problemOf(await change(GOOD_PASSWORD, GOOD_PASSWORD)).detail).toMatch(/same as the current/);
    const ok = await change(GOOD_PASSWORD, 'a fresh new passphrase');
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ endedSessions: 1 });

    expect((await me(here)).statusCode).toBe(200);
    expect((await me(elsewhere)).statusCode).toBe(401);
    expect((await refresh(elsewhere.refreshToken)).statusCode).toBe(401);
    expect((await login('niaj', GOOD_PASSWORD)).statusCode).toBe(401);
    expect((await login('niaj', 'a fresh new passphrase')).statusCode).toBe(200);
  });

  it('stores argon2id hashes only, and upgrades a hash made with an older cost at the next sign-in', async () => {
    const session = await signUp(t.app, 'rehash-user');
    const hashOf = async () =>
      (await t.store.db.selectFrom('users').select('password_hash').where('id', '=', session.user.id).executeTakeFirstOrThrow()).password_hash;
    const before = await hashOf();
    expect(before).toMatch(/^\$argon2id\$v=19\$m=256,t=1,p=1\$/);
    expect(before).not.toContain(GOOD_PASSWORD);
    const stronger = await buildApp({
      store: t.store,
      config: t.app.tipster.config,
      passwordHashCost: { memoryKiB: 512, timeCost: 2, parallelism: 1 },
      defaultMetrics: false,
      rateLimit: false,
      now: t.clock.now,
    });
    try {
      expect((await stronger.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'rehash-user', password: GOOD_PASSWORD } })).statusCode).toBe(200);
    } finally {
      await stronger.close();
    }
    expect(await hashOf()).toMatch(/^\$argon2id\$v=19\$m=512,t=2,p=1\$/);
    expect((await login('rehash-user', GOOD_PASSWORD)).statusCode).toBe(200);
  });

  it('tells a disabled user so only once they gave the right password', async () => {
    const session = await signUp(t.app, 'olivia');
    await t.app.tipster.accounts.admin.updateUser({ userId: null, name: 'test' }, session.user.id, { disabled: true });
    expect(problemOf(await login('olivia', 'wrong password here')).code).toBe('TIPSTER_ERR_AUTH_INVALID_CREDENTIALS');
    expect(problemOf(await login('olivia', GOOD_PASSWORD)).code).toBe('TIPSTER_ERR_AUTH_ACCOUNT_DISABLED');
    expect((await me(session)).statusCode).toBe(401);
  });
});
