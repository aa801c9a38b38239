import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { NbaShotService } from '../../src/basketball/nba-shot-service.js';
import type { ShotDescription } from '../../src/basketball/shot-description.js';
import { nbaShotModelByAlias } from '../../src/basketball/training/nba-model-store.js';
import { NBA_RETRAIN, nbaRetrainCatalogueEntry, nbaRetrainPipeline } from '../../src/basketball/training/nba-retrain-pipeline.js';
import { NBA_SHOT_MAKE_TASK } from '../../src/basketball/training/nba-shot-make-task.js';
import type { Pipeline } from '../../src/pipelines/define-pipeline.js';
import { PipelineCatalogue } from '../../src/pipelines/pipeline-catalogue.js';
import type { PipelineRunDetail } from '../../src/pipelines/pipeline-run-record.js';
import { runPipeline, type RunPipelineOptions } from '../../src/pipelines/run-pipeline.js';
import { PipelineScheduler } from '../../src/pipelines/scheduler/pipeline-scheduler.js';
import type { Store } from '../../src/store/store.js';
import { ModelRegistry } from '../../src/tracking/model-registry.js';
import { TrackingStore } from '../../src/tracking/tracking-store.js';
import { describePerBackend, freshStore } from '../support/backends.js';
import { isoDays, sampleLines, sampleOfDates } from './support/nba-sample.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** A sample row as a person would describe the shot, with what really happened. */
function describedShot(line: string): { shot: ShotDescription; made: boolean } {
  const f = line.split(',');
  return {
    shot: {
      playerId: Number(f[4]),
      period: Number(f[23]),
      clock: `${f[24]}:${f[25]!.padStart(2, '0')}`,
      locX: Number(f[20]),
      locY: Number(f[21]),
      actionType: f[14]!,
    },
    made: f[13] === 'TRUE',
  };
}

describePerBackend('nba-retrain pipeline', (backend) => {
  let store: Store;
  let dataDir: string;
  let clockMs = Date.parse('2025-06-01T09:00:00Z');
  const now = () => clockMs;
  const deps = () => ({ store, dataDir, now });
  // The test's runs heartbeat rarely: no timers outlive a test.
  const run = (pipeline: Pipeline, options: RunPipelineOptions) => runPipeline(store, pipeline, { heartbeatIntervalMs: 60_000, ...options });

  beforeAll(async () => {
    // Eight game days of real shots (24–31 October 2023): two held out, two for validation, four to fit.
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tipster-nba-retrain-'));
    fs.mkdirSync(path.join(dataDir, 'nba-shots'));
    const { header } = sampleLines();
    fs.writeFileSync(path.join(dataDir, 'nba-shots', 'oct-2023.csv'), `${header}\n${sampleOfDates(isoDays('2023-10-24', '2023-10-31')).join('\n')}\n`);
    store = await freshStore(backend);
  });
  afterAll(async () => {
    await store.close();
    await backend.cleanup();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('first run: ingests, trains every candidate, registers the best and promotes it, fully tracked', async () => {
    const result = await run(nbaRetrainPipeline(deps()), { trigger: 'startup', params: {}, now });
    expect(result.error).toBeNull();
    expect(result.tasks.map((t) => [t.task, t.status])).toEqual([
      ['ingest', 'succeeded'],
      ['train-candidates', 'succeeded'],
      ['register-best', 'succeeded'],
      ['promote-if-better', 'succeeded'],
    ]);
    expect(result.tasks[0]!.output).toMatchObject({ files: 1, loaded: 1 });
    const trained = result.tasks[1]!.output as { window: string; shots: Record<string, number>; candidates: { candidate: string; runId: string; metrics: Record<string, number> }[]; production: unknown };
    expect(trained.window).toBe('2023-10-30..2023-10-31');
    expect(trained.shots).toEqual({ fit: 4_862, validation: 2_337, holdout: 2_495, feedback: 0 });
    expect(trained.candidates.map((c) => c.candidate)).toEqual([...NBA_SHOT_MAKE_TASK.candidates]);
    expect(trained.production).toBeNull();
    for (const c of trained.candidates) {
      // Every candidate beats always saying the make rate (0.691) and ranks shots better than a coin.
      expect(c.metrics.log_loss, c.candidate).toBeLessThan(0.68);
      expect(c.metrics.auc, c.candidate).toBeGreaterThan(0.6);
      expect(c.metrics.shots).toBe(2_495);
    }
    const promotion = result.tasks[3]!.output as { version: number; promoted: boolean; reason: string };
    expect(promotion).toMatchObject({ version: 1, promoted: true });
    expect(promotion.reason).toMatch(/^no production version yet; log_loss 0\.6\d+ passes the floor/);

    const registry = new ModelRegistry(store);
    const tracking = new TrackingStore(store);
    const [v1] = await registry.listModelVersions('nba-shot-make');
    expect(v1).toMatchObject({ version: 1, aliases: ['production'] });
    expect(v1!.tags).toMatchObject({ promotion: 'promoted', window: '2023-10-30..2023-10-31', pipeline_run_id: result.id, feedback_shots: '0' });
    const best = await tracking.getRun(v1!.runId);
    expect(best).toMatchObject({ status: 'finished', experimentName: 'nba-shot-make' });
    expect(best.params).toMatchObject({ candidate: v1!.tags.candidate, holdout_window: '2023-10-30..2023-10-31' });
    expect(best.metrics.log_loss).toBeCloseTo(Number(v1!.tags.log_loss), 6);
    expect(best.dataFingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(best.codeVersion).toMatch(/^([0-9a-f]{40}(-dirty)?|package@.+)$/);
    expect(best.artifacts.map((a) => a.path).sort()).toEqual(['model.json', 'reliability.json']);
    // The artifact is the whole model: loaded by alias, it scores without retraining.
    const production = await nbaShotModelByAlias(registry, tracking);
    expect(production?.model.candidate).toBe(v1!.tags.candidate);
  });

  it('is skipped by the scheduler with 99 new verified labels and retrains at the 100th, recording why it promotes or not', async () => {
    const service = new NbaShotService(store, { now });
    const entry = nbaRetrainCatalogueEntry(deps());
    const finished: PipelineRunDetail[] = [];
    const scheduler = new PipelineScheduler({
      store,
      catalogue: new PipelineCatalogue([entry]),
      runner: run,
      now,
      owner: 'test-scheduler',
      timer: () => () => undefined,
      onRunFinished: (r) => finished.push(r),
    });

    // Reviewers describe 100 shots of 1 November (not in the data), then confirm what happened.
    clockMs += HOUR_MS;
    const feedback = sampleOfDates(['2023-11-01']).slice(0, 100).map(describedShot);
    const { modelVersion, predictions } = await service.predict(feedback.map((f) => f.shot), { createdByUserId: 7 });
    expect(modelVersion).toBe(1);
    expect(predictions).toHaveLength(100);
    for (let i = 0; i < 99; i++) await service.verify(predictions[i]!.id, 8, feedback[i]!.made);

    clockMs += DAY_MS;
    const skipped = await scheduler.tick(NBA_RETRAIN, clockMs);
    expect(skipped.decision).toBe('skipped_condition');
    expect(skipped.reason).toMatch(/^only 99 new verified shot labels since the last successful nba-retrain run \(.{8}, started 2025-06-01T09:00:00\.000Z\); at least 100 needed$/);

    await service.verify(predictions[99]!.id, 8, feedback[99]!.made);
    clockMs += DAY_MS;
    const started = await scheduler.tick(NBA_RETRAIN, clockMs);
    expect(started.decision).toBe('started');
    expect(started.reason).toMatch(/^100 new verified shot labels since the last successful nba-retrain run/);
    await scheduler.stop();
    expect(finished.map((r) => [r.id, r.status])).toEqual([[started.runId, 'succeeded']]);

    const retrain = finished[0]!;
    const trained = retrain.tasks.find((t) => t.task === 'train-candidates')!.output as { shots: Record<string, number>; production: { version: number; metrics: Record<string, number> } };
    expect(trained.shots).toMatchObject({ holdout: 2_495, feedback: 100 });
    expect(trained.production.version).toBe(1);
    const decision = retrain.tasks.find((t) => t.task === 'promote-if-better')!.output as {
      version: number;
      promoted: boolean;
      reason: string;
      candidateLogLoss: number;
      productionLogLoss: number;
    };
    expect(decision.version).toBe(2);
    // Both were scored on the same held-out shots; the decision follows the task's margin and says so.
    const improvement = decision.productionLogLoss - decision.candidateLogLoss;
    expect(decision.promoted).toBe(improvement > NBA_SHOT_MAKE_TASK.minImprovement);
    expect(decision.reason).toMatch(decision.promoted ? /beats production .* by/ : /does not beat production .* by more than 0\.0003/);

    const registry = new ModelRegistry(store);
    const v2 = await registry.getModelVersion('nba-shot-make', 2);
    expect(v2.tags).toMatchObject({
      promotion: decision.promoted ? 'promoted' : 'rejected',
      promotion_reason: decision.reason,
      feedback_shots: '100',
      production_version: '1',
      pipeline_run_id: retrain.id,
    });
    const production = await registry.getModelVersionByAlias('nba-shot-make', 'production');
    expect(production?.version).toBe(decision.promoted ? 2 : 1);
  });
});
