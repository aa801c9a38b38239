import { afterAll, afterEach, beforeEach, expect, it } from 'vitest';
import { describePerBackend } from '../support/backends.js';
import { GOOD_PASSWORD, bearer, problemOf, signUp, startTestApp, userWithRole, type SessionJson, type TestApp } from './support/test-app.js';

interface AuditJson {
  events: { id: number; actor: string; actorUserId: number | null; action: string; targetUserId: number | null; target: string | null; details: Record<string, unknown>; requestId: string | null }[];
  nextPageToken: string | null;
}

describePerBackend('API user administration', (backend) => {
  let t: TestApp;
  let admin: SessionJson;
  beforeEach(async () => {
    t = await startTestApp(backend);
    admin = await userWithRole(t.app, 'root-admin', 'admin');
  });
  afterEach(() => t.close());
  afterAll(() => backend.cleanup());

  const as = (session: SessionJson) => ({ headers: bearer(session) });
  const audit = async (query = '') => (await t.app.inject({ method: 'GET', url: `/api/v1/admin/audit-events${query}`, ...as(admin) })).json<AuditJson>();

  it('lists users by id with a role filter, a username fragment and page tokens', async () => {
    for (const name of ['anna', 'bert', 'carla', 'dirk', 'anneke']) await signUp(t.app, name);
    const first = await t.app.inject({ method: 'GET', url: '/api/v1/admin/users?limit=2', ...as(admin) });
    expect(first.statusCode).toBe(200);
    const page1 = first.json<{ users: { username: string }[]; nextPageToken: string }>();
    expect(page1.users.map((u) => u.username)).toEqual(['root-admin', 'anna']);
    const page2 = (await t.app.inject({ method: 'GET', url: `/api/v1/admin/users?limit=2&pageToken=${page1.nextPageToken}`, ...as(admin) })).json<{ users: { username: string }[] }>();
    expect(page2.users.map((u) => u.username)).toEqual(['bert', 'carla']);
    const ann = (await t.app.inject({ method: 'GET', url: '/api/v1/admin/users?username=ANN', ...as(admin) })).json<{ users: { username: string }[]; nextPageToken: null }>();
    expect(ann.users.map((u) => u.username)).toEqual(['anna', 'anneke']);
    expect(ann.nextPageToken).toBeNull();
    const admins = (await t.app.inject({ method: 'GET', url: '/api/v1/admin/users?role=admin', ...as(admin) })).json<{ users: { username: string }[] }>();
    expect(admins.users.map((u) => u.username)).toEqual(['root-admin']);
    // A LIKE wildcard in the fragment matches only itself.
    const wildcard = (await t.app.inject({ method: 'GET', url: '/api/v1/admin/users?username=%25', ...as(admin) })).json<{ users: unknown[] }>();
    expect(wildcard.users).toEqual([]);
    const unknown = await t.app.inject({ method: 'GET', url: '/api/v1/admin/users?sort=name', ...as(admin) });
    expect(problemOf(unknown)).toMatchObject({ code: 'TIPSTER_ERR_API_UNKNOWN_FIELD', detail: 'The request query has unknown field(s): sort' });
  });

  it('changes role, bankroll and risk; the user sees the new role at once; the change is audited with who and why', async () => {
    const user = await signUp(t.app, 'pablo');
    const response = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/admin/users/${user.user.id}`,
      ...as(admin),
      headers: { ...bearer(admin), 'x-request-id': 'req-admin-change-1' },
      payload: { role: 'premium', bankroll: { amount: '50.25' }, riskLevel: 'low', reason: 'paid subscription' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ role: 'premium', riskLevel: 'low', bankroll: { amount: '50.25', minorUnits: 5025 } });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', ...as(user) })).json()).toMatchObject({ role: 'premium' });

    const [event] = (await audit()).events;
    expect(event).toMatchObject({
      actor: 'root-admin',
      actorUserId: admin.user.id,
      action: 'user.update',
      targetUserId: user.user.id,
      target: 'pablo',
      requestId: 'req-admin-change-1',
      details: {
        reason: 'paid subscription',
        changes: { role: { from: 'free', to: 'premium' }, riskLevel: { from: 'medium', to: 'low' }, bankroll: { from: '1000.00 EUR', to: '50.25 EUR' } },
      },
    });
  });

  it('disabling a user ends their sessions at once; enabling lets them sign in again', async () => {
    const user = await signUp(t.app, 'quinn');
    const disable = await t.app.inject({ method: 'PATCH', url: `/api/v1/admin/users/${user.user.id}`, ...as(admin), payload: { disabled: true } });
    expect(disable.json()).toMatchObject({ disabled: true });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', ...as(user) })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: user.refreshToken } })).statusCode).toBe(401);
    expect((await audit(`?userId=${user.user.id}`)).events[0]?.details).toMatchObject({ changes: { disabled: { from: false, to: true } }, endedSessions: 1 });

    await t.app.inject({ method: 'PATCH', url: `/api/v1/admin/users/${user.user.id}`, ...as(admin), payload: { disabled: false } });
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'quinn', password: GOOD_PASSWORD } })).statusCode).toBe(200);
  });

  it('deletes a user with their sessions; the audit trail keeps who it was', async () => {
    const user = await signUp(t.app, 'rupert');
    const deleted = await t.app.inject({ method: 'DELETE', url: `/api/v1/admin/users/${user.user.id}?reason=spam`, ...as(admin) });
    expect(deleted.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', ...as(user) })).statusCode).toBe(401);
    const gone = await t.app.inject({ method: 'GET', url: `/api/v1/admin/users/${user.user.id}`, ...as(admin) });
    expect(gone.statusCode).toBe(404);
    expect(problemOf(gone)).toMatchObject({ code: 'TIPSTER_ERR_ACCOUNT_USER_NOT_FOUND', detail: `No user with id ${user.user.id}` });
    expect((await audit()).events[0]).toMatchObject({ action: 'user.delete', target: 'rupert', targetUserId: user.user.id, details: { role: 'free', reason: 'spam' } });
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/admin/users/${user.user.id}`, ...as(admin) })).statusCode).toBe(404);
  });

  it('never leaves the service without an active admin', async () => {
    const self = `/api/v1/admin/users/${admin.user.id}`;
    for (const payload of [{ role: 'premium' }, { disabled: true }]) {
      const response = await t.app.inject({ method: 'PATCH', url: self, ...as(admin), payload });
      expect(response.statusCode).toBe(409);
      expect(problemOf(response).code).toBe('TIPSTER_ERR_ACCOUNT_LAST_ADMIN');
    }
    expect(problemOf(await t.app.inject({ method: 'DELETE', url: self, ...as(admin) })).code).toBe('TIPSTER_ERR_ACCOUNT_LAST_ADMIN');
    // With a second admin, stepping down is fine.
    await userWithRole(t.app, 'second-admin', 'admin');
    expect((await t.app.inject({ method: 'PATCH', url: self, ...as(admin), payload: { role: 'free' } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/admin/users', ...as(admin) })).statusCode).toBe(403);
  });

  it('validates ids and bodies: unknown fields are named, empty patches refused', async () => {
    const user = await signUp(t.app, 'sybil');
    const unknown = await t.app.inject({ method: 'PATCH', url: `/api/v1/admin/users/${user.user.id}`, ...as(admin), payload: { role: 'premium', password: 'x', email: 'y' } });
    expect(problemOf(unknown)).toMatchObject({ code: 'TIPSTER_ERR_API_UNKNOWN_FIELD', detail: 'The request body has unknown field(s): password, email' });
    expect(problemOf(await t.app.inject({ method: 'PATCH', url: `/api/v1/admin/users/${user.user.id}`, ...as(admin), payload: {} })).code).toBe('TIPSTER_ERR_API_VALIDATION_FAILED');
    const badId = await t.app.inject({ method: 'GET', url: '/api/v1/admin/users/abc', ...as(admin) });
    expect(problemOf(badId)).toMatchObject({ code: 'TIPSTER_ERR_API_VALIDATION_FAILED', errors: [{ field: 'userId', location: 'path' }] });
    const badRole = await t.app.inject({ method: 'PATCH', url: `/api/v1/admin/users/${user.user.id}`, ...as(admin), payload: { role: 'owner' } });
    expect(problemOf(badRole).errors).toEqual([{ field: 'role', location: 'body', message: 'must be one of free, premium, admin' }]);
  });
});
