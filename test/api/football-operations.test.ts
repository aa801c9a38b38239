import { afterAll, beforeAll, expect, it } from 'vitest';
import { liveEventsCounter } from '../../src/api/plugins/football-operations.js';
import { describePerBackend } from '../support/backends.js';
import { DEMO_AS_OF, loadPremierLeague, registerProductionModel } from './football-test-data.js';
import { bearer, startTestApp, userWithRole, type SessionJson, type TestApp } from './support/test-app.js';

describePerBackend('football operations: metrics and status', (backend) => {
  let t: TestApp;
  let admin: SessionJson;
  beforeAll(async () => {
    t = await startTestApp(backend, { env: { TIPSTER_AS_OF: DEMO_AS_OF } });
    await loadPremierLeague(t.store, ['2021', '2122', '2223']);
    await registerProductionModel(t.store);
    admin = await userWithRole(t.app, 'ops', 'admin');
    const now = Date.UTC(2024, 0, 1);
    await t.store.db
      .insertInto('pipeline_runs')
      .values([
        { id: 'r1', pipeline: 'football-weekly', status: 'succeeded', params: '{}', trigger: 'test', created_at_ms: now, started_at_ms: now, finished_at_ms: now + 12_000, heartbeat_at_ms: now, owner: 'test:1' },
        { id: 'r2', pipeline: 'football-weekly', status: 'failed', params: '{}', trigger: 'test', created_at_ms: now, started_at_ms: now, finished_at_ms: now + 3_000, heartbeat_at_ms: now, owner: 'test:1' },
      ] as never)
      .execute();
  }, 120_000);
  afterAll(async () => {
    await t.close();
    await backend.cleanup();
  });

  it('exposes pipeline runs by status and duration, loaded models and the live events counter', async () => {
    await t.app.inject({ method: 'GET', url: '/api/v1/football/competitions/E0/predict?home=Arsenal&away=Chelsea', headers: bearer(admin) });
    liveEventsCounter(t.app).inc({ type: 'Shot' });
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain('tipster_pipeline_runs{pipeline="football-weekly",status="succeeded"} 1');
    expect(metrics).toContain('tipster_pipeline_runs{pipeline="football-weekly",status="failed"} 1');
    expect(metrics).toContain('tipster_pipeline_run_duration_seconds_sum{pipeline="football-weekly",status="succeeded"} 12');
    expect(metrics).toContain(`tipster_pipeline_last_success_timestamp_seconds{pipeline="football-weekly"} ${Date.UTC(2024, 0, 1, 0, 0, 12) / 1000}`);
    expect(metrics).toContain('tipster_serving_models_loaded 1');
    expect(metrics).toContain('tipster_live_events_total{type="Shot"} 1');
    expect(metrics).toContain('tipster_predictions_served_total{model="football-1x2-E0",version="1"} 1');
  });

  it('reports the scheduler and the loaded models on /api/v1/status', async () => {
    const status = (await t.app.inject({ method: 'GET', url: '/api/v1/status', headers: bearer(admin) })).json();
    expect(status.store.ok).toBe(true);
    expect(status.scheduler).toMatchObject({ ok: true, schedules: [], recentDecisions: [] });
    expect(status.models).toMatchObject({ ok: true, asOf: '2023-03-01T00:00:00.000Z', asOfPinned: true, production: [{ model: 'football-1x2-E0', version: 1 }] });
    expect(status.models.loaded).toEqual([expect.objectContaining({ league: 'E0', version: 1, fittedAsOf: '2023-03-01T00:00:00.000Z' })]);
  });
});
