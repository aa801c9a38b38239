import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { isTipsterError } from '../../src/core/errors.js';
import type { Store } from '../../src/store/store.js';
import { TrackingStore } from '../../src/tracking/tracking-store.js';
import { describePerBackend, freshStore } from '../support/backends.js';

describePerBackend('experiment tracking', (backend) => {
  let store: Store;
  let clock = 1_000;
  let tracking: TrackingStore;
  beforeAll(async () => {
    store = await freshStore(backend);
    tracking = new TrackingStore(store, { now: () => (clock += 10) });
  });
  afterAll(async () => {
    await store.close();
    await backend.cleanup();
  });

  const code = async (promise: Promise<unknown>) => {
    const error = await promise.then(() => undefined, (e: unknown) => e);
    return isTipsterError(error) ? error.code : error;
  };

  it('records a run: params, metric history, latest values, tags, seed, code version, data fingerprint', async () => {
    const runId = await tracking.createRun({
      experiment: 'football-1x2-E0', name: 'dixon-coles weekly', seed: 42, codeVersion: 'abc123', dataFingerprint: 'sha256:feed', tags: { league: 'E0' },
    });
    await tracking.logParams(runId, { xi: 0.0019, model: 'dixon-coles', warmStart: true });
    await tracking.logParams(runId, { xi: 0.0019 }); // the same value again is fine
    expect(await code(tracking.logParams(runId, { xi: 0.002 }))).toBe('TIPSTER_ERR_TRACKING_PARAM_CHANGED');
    await tracking.logMetrics(runId, [
      { key: 'rps', value: 0.21, step: 0 },
      { key: 'rps', value: 0.205, step: 1 },
      { key: 'rps', value: 0.2002, step: 2 },
      { key: 'log_loss', value: 0.97, step: 2 },
    ]);
    await tracking.logMetric(runId, 'rps', 0.3, { step: 1 }); // an older step never becomes the latest
    await tracking.setTag(runId, 'quality', 'good');
    const run = await tracking.getRun(runId);
    expect(run).toMatchObject({
      experimentName: 'football-1x2-E0', name: 'dixon-coles weekly', status: 'running', seed: 42, codeVersion: 'abc123', dataFingerprint: 'sha256:feed',
      params: { xi: '0.0019', model: 'dixon-coles', warmStart: 'true' },
      tags: { league: 'E0', quality: 'good' },
      metrics: { rps: 0.2002, log_loss: 0.97 },
    });
    expect((await tracking.getMetricHistory(runId, 'rps')).map((p) => [p.step, p.value])).toEqual([[0, 0.21], [1, 0.3], [2, 0.2002]]);
    expect(await code(tracking.logMetric(runId, 'rps', Number.NaN))).toBe('TIPSTER_ERR_TRACKING_INVALID_VALUE');
    expect(await code(tracking.logMetric(runId, 'rps', 1, { step: -1 }))).toBe('TIPSTER_ERR_TRACKING_INVALID_VALUE');
  });

  it('stores artifacts with checksums and notices tampering', async () => {
    const runId = await tracking.createRun({ experiment: 'artifacts' });
    const model = new TextEncoder().encode(JSON.stringify({ attack: [0.1, -0.2] }));
    const { sha256, sizeBytes } = await tracking.logArtifact(runId, 'model.json', model, 'application/json');
    expect(sizeBytes).toBe(model.byteLength);
    const back = await tracking.getArtifact(runId, 'model.json');
    expect(new TextDecoder().decode(back.content)).toBe(JSON.stringify({ attack: [0.1, -0.2] }));
    expect(back).toMatchObject({ mediaType: 'application/json', sha256 });
    expect((await tracking.getRun(runId)).artifacts).toEqual([{ path: 'model.json', mediaType: 'application/json', sizeBytes, sha256 }]);
    await sql`update run_artifacts set content = ${Buffer.from('{"attack":[9]}')} where run_id = ${runId}`.execute(store.db);
    expect(await code(tracking.getArtifact(runId, 'model.json'))).toBe('TIPSTER_ERR_TRACKING_ARTIFACT_CORRUPT');
    expect(await code(tracking.getArtifact(runId, 'missing.bin'))).toBe('TIPSTER_ERR_TRACKING_ARTIFACT_NOT_FOUND');
  });

  it('ends a run once and keeps it as a record', async () => {
    const runId = await tracking.createRun({ experiment: 'lifecycle' });
    await tracking.endRun(runId, 'failed');
    expect((await tracking.getRun(runId)).status).toBe('failed');
    expect((await tracking.getRun(runId)).endTimeMs).toBeGreaterThan((await tracking.getRun(runId)).startTimeMs);
    expect(await code(tracking.logMetric(runId, 'x', 1))).toBe('TIPSTER_ERR_TRACKING_RUN_ENDED');
    expect(await code(tracking.endRun(runId))).toBe('TIPSTER_ERR_TRACKING_RUN_ENDED');
    await tracking.setTag(runId, 'reviewed', 'yes'); // tags may still change
    expect(await code(tracking.getRun('no-such-run'))).toBe('TIPSTER_ERR_TRACKING_RUN_NOT_FOUND');
  });

  it('searches by experiment, status, tags and metric thresholds, ordered and paged', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const id = await tracking.createRun({ experiment: 'search', tags: { league: i % 2 === 0 ? 'E0' : 'SP1' } });
      if (i !== 3) await tracking.logMetric(id, 'rps', 0.2 + i / 1000);
      if (i < 5) await tracking.endRun(id);
      ids.push(id);
    }
    const e0 = await tracking.searchRuns({ experiments: ['search'], tags: { league: 'E0' } });
    expect(e0.runs.map((r) => r.id)).toEqual([ids[6], ids[4], ids[2], ids[0]]); // newest first
    const good = await tracking.searchRuns({ experiments: ['search'], metrics: [{ key: 'rps', op: '<', value: 0.2035 }], statuses: ['finished'] });
    expect(good.runs.map((r) => r.id)).toEqual([ids[2], ids[1], ids[0]]);
    // Best first; the run without the metric comes last; three per page.
    const pages: string[] = [];
    let token: string | undefined;
    do {
      const page = await tracking.searchRuns({ experiments: ['search'], orderBy: { metric: 'rps', direction: 'asc' }, limit: 3, ...(token ? { pageToken: token } : {}) });
      pages.push(...page.runs.map((r) => r.id));
      token = page.nextPageToken;
    } while (token);
    expect(pages).toEqual([ids[0], ids[1], ids[2], ids[4], ids[5], ids[6], ids[3]]);
    expect(await code(tracking.searchRuns({ pageToken: 'bogus' }))).toBe('TIPSTER_ERR_TRACKING_PAGE_TOKEN_INVALID');
  });
});
