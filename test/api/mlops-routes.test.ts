import { afterAll, afterEach, beforeEach, expect, it } from 'vitest';
import { ModelRegistry } from '../../src/tracking/model-registry.js';
import { TrackingStore } from '../../src/tracking/tracking-store.js';
import { describePerBackend } from '../support/backends.js';
import { bearer, problemOf, startTestApp, userWithRole, type SessionJson, type TestApp } from './support/test-app.js';

const MODEL = 'football-1x2-E0';
const REPORT = '<!doctype html><html><head><style>svg{width:100%}</style></head><body><h1>Backtest</h1><svg></svg></body></html>';

describePerBackend('MLOps routes: registry and pipelines', (backend) => {
  let t: TestApp;
  let free: SessionJson;
  let premium: SessionJson;
  let admin: SessionJson;

  beforeEach(async () => {
    t = await startTestApp(backend);
    free = await userWithRole(t.app, 'fiona', 'free');
    premium = await userWithRole(t.app, 'peter', 'premium');
    admin = await userWithRole(t.app, 'ada', 'admin');
    const registry = new ModelRegistry(t.store);
    const tracking = new TrackingStore(t.store);
    await registry.registerModel({ name: MODEL, task: 'football-1x2', primaryMetric: 'rps', higherIsBetter: false, description: 'Premier League 1X2' });
    for (const [rps, withReport] of [[0.205, false], [0.199, true]] as const) {
      const runId = await tracking.createRun({ experiment: MODEL, name: `dixon-coles ${rps}` });
      await tracking.logParams(runId, { predictor: 'dixon-coles' });
      await tracking.logMetrics(runId, [
        { key: 'rps', value: rps },
        { key: 'benchmark_rps', value: 0.201 },
        { key: 'season_rps', value: rps + 0.002, step: 2021 },
        { key: 'season_rps', value: rps - 0.002, step: 2022 },
      ]);
      if (withReport) await tracking.logArtifact(runId, 'backtest-report.html', Buffer.from(REPORT), 'text/html');
      await tracking.endRun(runId);
      await registry.createModelVersion(MODEL, runId, { tags: { predictor: 'dixon-coles' } });
    }
    await registry.setModelAlias(MODEL, 'production', 1, { actor: 'pipeline', reason: 'first version' });
  });
  afterEach(() => t.close());
  afterAll(() => backend.cleanup());

  const get = (url: string, session: SessionJson) => t.app.inject({ method: 'GET', url, headers: bearer(session) });
  const post = (url: string, session: SessionJson, payload: object) => t.app.inject({ method: 'POST', url, headers: bearer(session), payload });

  it('lists models with aliases and production metrics, and one model with versions, metrics, tags and alias history', async () => {
    const list = await get('/api/v1/models', free);
    expect(list.statusCode).toBe(200);
    const [model] = list.json().models;
    expect(model).toMatchObject({ name: MODEL, primaryMetric: 'rps', latestVersion: 2, aliases: { production: 1 }, production: { version: 1, metrics: { rps: 0.205 } } });

    const one = (await get(`/api/v1/models/${MODEL}`, free)).json();
    expect(one.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(one.versions[0]).toMatchObject({ tags: { predictor: 'dixon-coles' }, aliases: [], metrics: { rps: 0.199 }, hasReport: true });
    expect(one.versions[1]).toMatchObject({ aliases: ['production'], hasReport: false });
    expect(one.aliasHistory).toEqual([expect.objectContaining({ alias: 'production', fromVersion: null, toVersion: 1, actor: 'pipeline' })]);

    const detail = (await get(`/api/v1/models/${MODEL}/versions/2`, free)).json();
    expect(detail.run.params).toEqual({ predictor: 'dixon-coles' });
    expect(detail.run.histories.season_rps).toEqual([
      { step: 2021, value: 0.201 },
      { step: 2022, value: 0.197 },
    ]);
    expect(detail.run.artifacts).toEqual([{ path: 'backtest-report.html', mediaType: 'text/html', sizeBytes: REPORT.length }]);

    expect(problemOf(await get('/api/v1/models/no-such-model', free)).code).toBe('TIPSTER_ERR_REGISTRY_MODEL_NOT_FOUND');
    expect(problemOf(await get(`/api/v1/models/${MODEL}/versions/9`, free)).code).toBe('TIPSTER_ERR_REGISTRY_VERSION_NOT_FOUND');
  });

  it('serves the stored backtest report as HTML that may not run anything', async () => {
    const report = await get(`/api/v1/models/${MODEL}/versions/2/report`, free);
    expect(report.statusCode).toBe(200);
    expect(report.headers['content-type']).toMatch(/^text\/html/);
    expect(report.headers['content-security-policy']).toContain("default-src 'none'");
    expect(report.headers['content-security-policy']).toContain('sandbox');
    expect(report.body).toBe(REPORT);
    expect(problemOf(await get(`/api/v1/models/${MODEL}/versions/1/report`, free)).code).toBe('TIPSTER_ERR_TRACKING_ARTIFACT_NOT_FOUND');
  });

  it('lets admins promote and roll back, recording who and why; others are refused', async () => {
    const denied = await post(`/api/v1/models/${MODEL}/promote`, premium, { version: 2, reason: 'better RPS' });
    expect(denied.statusCode).toBe(403);

    const promoted = await post(`/api/v1/models/${MODEL}/promote`, admin, { version: 2, reason: 'better RPS' });
    expect(promoted.statusCode).toBe(200);
    expect(promoted.json()).toMatchObject({ version: 2, aliases: ['production'] });
    expect((await get('/api/v1/models', free)).json().models[0].aliases).toEqual({ production: 2 });

    const back = await post(`/api/v1/models/${MODEL}/rollback`, admin, {});
    expect(back.json()).toMatchObject({ version: 1, aliases: ['production'] });
    const history = (await get(`/api/v1/models/${MODEL}`, free)).json().aliasHistory;
    expect(history[0]).toMatchObject({ fromVersion: 2, toVersion: 1, actor: 'user:ada', reason: 'rollback from version 2' });
    expect(history[1]).toMatchObject({ fromVersion: 1, toVersion: 2, actor: 'user:ada', reason: 'better RPS' });

    expect(problemOf(await post(`/api/v1/models/${MODEL}/promote`, admin, { version: 7, reason: 'x' })).code).toBe('TIPSTER_ERR_REGISTRY_VERSION_NOT_FOUND');
    expect((await post(`/api/v1/models/${MODEL}/promote`, admin, { version: 2 })).statusCode).toBe(400);
  });

  it('lists pipelines with DAG and schedule, starts a run in the background (202), refuses an overlapping one (409), and shows its tasks and logs', async () => {
    expect((await get('/api/v1/pipelines', free)).statusCode).toBe(403);
    const catalogue = (await get('/api/v1/pipelines', premium)).json().pipelines;
    const weekly = catalogue.find((p: { name: string }) => p.name === 'football-weekly');
    expect(weekly.schedule).toMatchObject({ cron: '0 6 * * 1', timezone: 'Europe/London' });
    expect(Date.parse(weekly.schedule.nextFireAt)).toBeGreaterThan(t.clock.now());
    const drill = catalogue.find((p: { name: string }) => p.name === 'worker-drill');
    expect(drill.tasks.find((task: { name: string }) => task.name === 'd').dependsOn).toEqual(['b', 'c']);
    expect(drill.lastRun).toBeNull();

    expect((await post('/api/v1/pipelines/worker-drill/runs', premium, {})).statusCode).toBe(403);
    const started = await post('/api/v1/pipelines/worker-drill/runs', admin, { params: { sleepMs: 800 } });
    expect(started.statusCode, started.body).toBe(202);
    const { runId } = started.json();
    const again = await post('/api/v1/pipelines/worker-drill/runs', admin, {});
    expect(again.statusCode).toBe(409);
    expect(problemOf(again).code).toBe('TIPSTER_ERR_PIPELINE_ALREADY_RUNNING');
    expect(problemOf(await post('/api/v1/pipelines/no-such/runs', admin, {})).code).toBe('TIPSTER_ERR_PIPELINE_NOT_FOUND');

    let run = (await get(`/api/v1/pipelines/runs/${runId}`, premium)).json();
    for (let i = 0; i < 200 && run.status !== 'succeeded' && run.status !== 'failed'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      run = (await get(`/api/v1/pipelines/runs/${runId}`, premium)).json();
    }
    expect(run).toMatchObject({ status: 'succeeded', pipeline: 'worker-drill', trigger: 'api:ada', params: { sleepMs: 800 } });
    expect(run.tasks.map((task: { task: string; status: string }) => `${task.task}:${task.status}`)).toEqual(['a:succeeded', 'b:succeeded', 'c:succeeded', 'd:succeeded', 'e:succeeded']);
    expect(run.tasks[1].durationMs).toBeGreaterThanOrEqual(700);
    expect(run.tasks[1].logs.map((l: { message: string }) => l.message)).toContain('sleeping 800 ms');

    const runs = (await get('/api/v1/pipelines/runs?pipeline=worker-drill', premium)).json().runs;
    expect(runs.map((r: { id: string }) => r.id)).toEqual([runId]);
    expect(problemOf(await get('/api/v1/pipelines/runs/nope', premium)).code).toBe('TIPSTER_ERR_PIPELINE_RUN_NOT_FOUND');
  });
});
