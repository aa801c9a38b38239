import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, expect, it } from 'vitest';
import { buildApp } from '../../src/api/build-app.js';
import { definePlugin } from '../../src/api/define-plugin.js';
import { loadConfig } from '../../src/core/config.js';
import { openStore } from '../../src/store/open-store.js';
import { describePerBackend } from '../support/backends.js';
import { bearer, problemOf, startTestApp, userWithRole, type TestApp } from './support/test-app.js';

// How another capability (the bus, a worker pool) reports itself in /api/v1/status.
const busPlugin = definePlugin({ name: 'fake-bus', dependencies: ['tipster-status'] }, async (app) => {
  app.statusSections.addSection('bus', async () => ({ ok: true, kind: 'memory', subscribers: 3 }));
  app.statusSections.addSection('fake-worker-pool', async () => {
    throw new Error('worker pool not started');
  });
});

describePerBackend('API operations endpoints', (backend) => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });
  afterAll(() => backend.cleanup());

  it('answers /healthz, and /readyz once the store is reachable and migrated', async () => {
    t = await startTestApp(backend);
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready' });
  });

  it('says /readyz 503 with the reason when the store is not migrated', async () => {
    const store = await openStore(await backend.freshUrl());
    const varDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tipster-readyz-'));
    const app = await buildApp({ store, config: loadConfig({ TIPSTER_VAR_DIR: varDir }, process.cwd()), defaultMetrics: false });
    try {
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
      const response = await app.inject({ method: 'GET', url: '/readyz' });
      expect(response.statusCode).toBe(503);
      expect(problemOf(response)).toMatchObject({ code: 'TIPSTER_ERR_STORE_NOT_MIGRATED' });
      expect(problemOf(response).hint).toContain('tipster db migrate');
    } finally {
      await app.close();
      await store.close();
      fs.rmSync(varDir, { recursive: true, force: true });
    }
  });

  it('exposes Prometheus metrics: latency per route pattern and status, and process metrics', async () => {
    t = await startTestApp(backend, { defaultMetrics: true });
    const session = await userWithRole(t.app, 'metrics-user', 'free');
    await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(session) });
    await t.app.inject({ method: 'GET', url: '/api/v1/admin/users/12345', headers: bearer(session) });
    await t.app.inject({ method: 'GET', url: '/no/such/page/42' });
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = metrics.body;
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/me",status_code="200"\} 1/);
    // The pattern, not the id, so the label set stays small.
    expect(text).toMatch(/route="\/api\/v1\/admin\/users\/:userId",status_code="403"/);
    expect(text).not.toContain('12345');
    expect(text).toMatch(/route="unmatched",status_code="404"/);
    expect(text).not.toContain('/no/such/page');
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
  });

  it('reports status to admins: version, uptime, the store without credentials, and sections other capabilities add', async () => {
    t = await startTestApp(backend, { plugins: [busPlugin] });
    const admin = await userWithRole(t.app, 'status-admin', 'admin');
    t.clock.advance(65_000);
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/status', headers: bearer(admin) });
    expect(response.statusCode).toBe(200);
    const status = response.json<Record<string, Record<string, unknown> | string | number>>();
    expect(status).toMatchObject({ version: '0.1.0', uptimeSeconds: 65, store: { ok: true, backend: backend.name, migrations: { pending: 0 } }, bus: { ok: true, subscribers: 3 } });
    expect(status['fake-worker-pool']).toEqual({ ok: false, error: 'worker pool not started' });
    expect(JSON.stringify(status)).not.toContain(':tipster@');
    if (backend.name === 'postgres') expect((status.store as Record<string, string>).target).toContain('***');
    const free = await userWithRole(t.app, 'status-free', 'free');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/status', headers: bearer(free) })).statusCode).toBe(403);
  });
});
