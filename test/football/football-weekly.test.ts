import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FOOTBALL_1X2_TASK, parseFootball1x2ModelConfig } from '../../src/football/training/football-1x2-task.js';
import { footballModelByAlias, listMatchPredictions } from '../../src/football/training/football-model-store.js';
import { footballWeeklyPipeline } from '../../src/football/training/football-weekly-pipeline.js';
import { runPipeline } from '../../src/pipelines/run-pipeline.js';
import { migrateStore } from '../../src/store/migrate-store.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { ModelRegistry } from '../../src/tracking/model-registry.js';
import { TrackingStore } from '../../src/tracking/tracking-store.js';
import { describePerBackend } from '../support/backends.js';
import { SHARED_FOOTBALL_DATA } from '../support/shared-data.js';

/** Five Premier League seasons: three years of training before a two-year evaluation window. */
const SEASONS = ['1819', '1920', '2021', '2122', '2223'];

describePerBackend('football-weekly pipeline', (backend) => {
  let store: Store;
  let dataDir: string;
  const now = () => Date.UTC(2026, 0, 5, 6);
  const pipeline = () => footballWeeklyPipeline({ store, dataDir, now });
  const run = (params: Record<string, unknown> = {}) => runPipeline(store, pipeline(), { trigger: 'test', params, heartbeatIntervalMs: 60_000 });

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tipster-weekly-'));
    fs.mkdirSync(path.join(dataDir, 'football-data', 'E0'), { recursive: true });
    for (const season of SEASONS) {
      fs.copyFileSync(path.join(SHARED_FOOTBALL_DATA, 'E0', `${season}.csv`), path.join(dataDir, 'football-data', 'E0', `${season}.csv`));
    }
    store = await openStore(await backend.freshUrl());
    await migrateStore(store);
  });
  afterAll(async () => {
    await store.close();
    await backend.cleanup();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('first run: ingests, scores every candidate on the latest window, registers the best and promotes it', async () => {
    const result = await run();
    expect(result.error).toBeNull();
    expect(result.status).toBe('succeeded');
    expect(result.tasks.map((t) => [t.task, t.status])).toEqual([
      ['ingest', 'succeeded'],
      ['prepare-datasets', 'succeeded'],
      ['backtest-candidates', 'succeeded'],
      ['register-best', 'succeeded'],
      ['promote-if-better', 'succeeded'],
      ['predict-upcoming', 'succeeded'],
    ]);
    expect(result.tasks[0]!.output).toMatchObject({ files: 5, loaded: 5 });

    const registry = new ModelRegistry(store);
    const tracking = new TrackingStore(store);
    const versions = await registry.listModelVersions('football-1x2-E0');
    expect(versions).toHaveLength(1);
    const [v1] = versions;
    expect(v1!.aliases).toEqual(['production']);
    expect(v1!.tags).toMatchObject({ promotion: 'promoted', pipeline_run_id: result.id, window: '2021-05-28..2023-05-28' });
    expect(FOOTBALL_1X2_TASK.candidates).toContain(v1!.tags.predictor);

    // The version's run is fully tracked: params, metrics, code version, data fingerprint, artifacts.
    const best = await tracking.getRun(v1!.runId);
    expect(best.status).toBe('finished');
    expect(best.experimentName).toBe('football-1x2-E0');
    expect(best.params).toMatchObject({ predictor: v1!.tags.predictor, league: 'E0', evaluate_to: '2023-05-28', benchmark: 'market-consensus' });
    expect(best.metrics.rps).toBeCloseTo(Number(v1!.tags.rps), 6);
    expect(best.metrics.rps ?? 0).toBeGreaterThan(0.19);
    expect(best.metrics.rps ?? 1).toBeLessThan(0.21);
    // The bookmakers are hard to beat on E0: the benchmark is scored on the same matches.
    expect(best.metrics.benchmark_rps).toBeLessThan(best.metrics.rps ?? 0);
    expect(best.metrics.matches).toBe(760);
    expect(best.codeVersion).toMatch(/^([0-9a-f]{40}(-dirty)?|package@.+)$/);
    expect(best.dataFingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(best.artifacts.map((a) => a.path).sort()).toEqual(['backtest-report.html', 'model.json']);
    const history = await tracking.getMetricHistory(v1!.runId, 'season_rps');
    expect(history.map((h) => h.step)).toEqual([2021, 2022]);

    const candidates = await tracking.searchRuns({ experiments: ['football-1x2-E0'], tags: { pipeline_run_id: result.id } });
    expect(candidates.runs.map((r) => r.params.predictor).sort()).toEqual([...FOOTBALL_1X2_TASK.candidates].sort());
    expect(Math.min(...candidates.runs.map((r) => r.metrics.rps ?? Number.NaN))).toBe(best.metrics.rps);

    const production = await footballModelByAlias(registry, tracking, 'E0');
    expect(production?.config).toEqual({
      task: 'football-1x2',
      league: 'E0',
      predictor: v1!.tags.predictor,
      trainingWindowDays: 1095,
      trainedThroughMs: expect.any(Number),
    });
  });

  it('a second run that is not better registers a version but leaves production where it was', async () => {
    const registry = new ModelRegistry(store);
    const result = await run();
    expect(result.status).toBe('succeeded');
    const versions = await registry.listModelVersions('football-1x2-E0');
    expect(versions.map((v) => v.version)).toEqual([2, 1]);
    expect(versions[0]!.aliases).toEqual([]);
    expect(versions[0]!.tags.promotion).toBe('rejected');
    expect(versions[0]!.tags.promotion_reason).toMatch(/does not beat production .* by more than 0\.0002/);
    expect(versions[1]!.aliases).toEqual(['production']);
    const moves = await registry.aliasHistory('football-1x2-E0', 'production');
    expect(moves).toHaveLength(1);
    expect(moves[0]!.actor).toContain('football-weekly');
    // Production was re-scored on this run's window as a candidate run of its own.
    const decisions = result.tasks.find((t) => t.task === 'promote-if-better')!.output as { decisions: { promoted: boolean }[] };
    expect(decisions.decisions).toEqual([expect.objectContaining({ league: 'E0', promoted: false })]);
  });

  it('as of a past date, trains on what was known then and stores predictions for the next fortnight', async () => {
    const result = await run({ asOf: '2022-02-01', predictDays: 14 });
    expect(result.error).toBeNull();
    const prepared = result.tasks.find((t) => t.task === 'prepare-datasets')!.output as { windows: { evaluateToMs: number }[] };
    expect(prepared.windows[0]!.evaluateToMs).toBeLessThanOrEqual(Date.parse('2022-02-01'));
    const registry = new ModelRegistry(store);
    const production = (await registry.getModelVersionByAlias('football-1x2-E0', 'production'))!;
    const predictions = await listMatchPredictions(store.db, 'football-1x2-E0', production.version);
    expect(predictions.length).toBeGreaterThanOrEqual(10);
    for (const p of predictions) {
      expect(p.home + p.draw + p.away).toBeCloseTo(1, 9);
      expect(p.asOfMs).toBe(Date.parse('2022-02-01'));
      expect(p.homeGoalsExpected).toBeGreaterThan(0);
      expect(p.pipelineRunId).toBe(result.id);
    }
    const kickoffs = await store.db.selectFrom('matches').select('kickoff_at_ms').where('id', 'in', predictions.map((p) => p.matchId)).execute();
    for (const k of kickoffs) {
      expect(Number(k.kickoff_at_ms)).toBeGreaterThanOrEqual(Date.parse('2022-02-01'));
      expect(Number(k.kickoff_at_ms)).toBeLessThan(Date.parse('2022-02-15'));
    }
    // Predicting again replaces rows instead of duplicating them.
    await run({ asOf: '2022-02-01', predictDays: 14 });
    const again = await listMatchPredictions(store.db, 'football-1x2-E0', production.version);
    const current = (await registry.getModelVersionByAlias('football-1x2-E0', 'production'))!;
    if (current.version === production.version) expect(again).toHaveLength(predictions.length);
  });

  it('fails with a clear message on a bad parameter, before training anything', async () => {
    const registry = new ModelRegistry(store);
    const before = (await registry.listModelVersions('football-1x2-E0')).length;
    const result = await run({ asOf: 'last tuesday' });
    expect(result.status).toBe('failed');
    const failed = result.tasks.find((t) => t.status === 'failed')!;
    expect(failed.task).toBe('prepare-datasets');
    expect(failed.error).toMatch(/asOf.*"last tuesday" is not an ISO date/);
    expect(result.tasks.filter((t) => t.status === 'upstream_failed').map((t) => t.task)).toEqual([
      'backtest-candidates',
      'register-best',
      'promote-if-better',
      'predict-upcoming',
    ]);
    expect(await registry.listModelVersions('football-1x2-E0')).toHaveLength(before);
  });
});

it('reads back only well-formed model configurations', () => {
  const config = { task: 'football-1x2', league: 'E0', predictor: 'dixon-coles-xi0.0019', trainingWindowDays: 1095, trainedThroughMs: 1 };
  expect(parseFootball1x2ModelConfig(JSON.stringify(config), 'here')).toEqual(config);
  expect(() => parseFootball1x2ModelConfig('{', 'v1')).toThrow(/model configuration in v1 is invalid: not JSON/);
  expect(() => parseFootball1x2ModelConfig('{"task":"nba"}', 'v1')).toThrow(/expected \{task: "football-1x2"/);
});
