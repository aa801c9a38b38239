import { afterAll, beforeAll, expect, it } from 'vitest';
import { isTipsterError } from '../../src/core/errors.js';
import { definePipeline } from '../../src/pipelines/define-pipeline.js';
import { getPipelineRun } from '../../src/pipelines/get-pipeline-run.js';
import { PipelineRunRepository } from '../../src/pipelines/pipeline-run-repository.js';
import { recoverInterruptedRuns } from '../../src/pipelines/recover-interrupted-runs.js';
import { runPipeline } from '../../src/pipelines/run-pipeline.js';
import type { Store } from '../../src/store/store.js';
import { describePerBackend, freshStore } from '../support/backends.js';

describePerBackend('pipeline crash recovery', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await freshStore(backend);
  });
  afterAll(async () => {
    await store.close();
    await backend.cleanup();
  });

  it('fails a run whose process died mid-task: running tasks failed, pending ones skipped, finished ones kept', async () => {
    // Exactly what a killed process leaves behind: the runner's own writes up to the middle of task 2.
    const t0 = 1_700_000_000_000;
    const repository = new PipelineRunRepository(store);
    const runId = '11111111-1111-4111-8111-111111111111';
    await repository.createRun({
      id: runId,
      pipeline: 'weekly',
      params: '{"league":"E0"}',
      trigger: 'schedule',
      owner: 'box-a:4242',
      atMs: t0,
      tasks: ['ingest', 'train', 'predict'],
    });
    await repository.startRun(runId, t0);
    await repository.startAttempt(runId, 'ingest', 1, t0 + 100);
    await repository.succeedTask(runId, 'ingest', t0 + 300, 200, '{"rows":380}');
    await repository.startAttempt(runId, 'train', 1, t0 + 400);

    // Not stale yet: a run still heartbeating within the window is left alone.
    expect(await recoverInterruptedRuns(store, { staleAfterMs: 30_000, now: t0 + 20_000 })).toEqual([]);
    expect((await getPipelineRun(store, runId)).status).toBe('running');

    const recovered = await recoverInterruptedRuns(store, { staleAfterMs: 30_000, now: t0 + 60_000 });
    const reason = 'Run 11111111-1111-4111-8111-111111111111 was interrupted: its process (box-a:4242) stopped heartbeating 59600 ms ago';
    expect(recovered.map((r) => [r.id, r.status, r.error])).toEqual([[runId, 'failed', reason]]);

    const run = await getPipelineRun(store, runId);
    expect(run).toMatchObject({ status: 'failed', finishedAtMs: t0 + 60_000, durationMs: 60_000, error: reason });
    expect(run.tasks.map((t) => [t.task, t.status, t.attempt, t.durationMs, t.error])).toEqual([
      ['ingest', 'succeeded', 1, 200, null],
      ['train', 'failed', 1, 59_600, reason],
      ['predict', 'skipped', 0, null, reason],
    ]);
    expect(run.tasks[0]!.output).toEqual({ rows: 380 });
    // Should the dead process come back, its late writes are refused and change nothing.
    expect(await repository.succeedTask(runId, 'train', t0 + 70_000, 69_600, '"late"')).toBe(false);
    expect(await getPipelineRun(store, runId)).toEqual(run);
    // A second start-up finds nothing more to do.
    expect(await recoverInterruptedRuns(store, { staleAfterMs: 30_000, now: t0 + 120_000 })).toEqual([]);
  });

  it('takes a run away from a hung runner, which then stops its task and leaves the recovered state alone', async () => {
    // The runner's clock is frozen, so its heartbeats stop advancing, as a wedged process's would.
    const frozenMs = 1_800_000_000_000;
    let running!: () => void;
    const taskStarted = new Promise<void>((resolve) => (running = resolve));
    let signalReason: unknown = null;
    const pipeline = definePipeline({
      name: 'hung',
      description: '',
      tasks: [
        { name: 'ingest', run: async () => 'done' },
        {
          name: 'train',
          dependsOn: ['ingest'],
          run: (ctx) =>
            new Promise((resolve) => {
              running();
              ctx.signal.addEventListener('abort', () => {
                signalReason = ctx.signal.reason ?? 'aborted';
                // A task that ignores its signal and returns anyway must not overwrite the recovery.
                resolve('late result');
              });
            }),
        },
        { name: 'predict', dependsOn: ['train'], run: async () => 'never' },
      ],
    });
    const runPromise = runPipeline(store, pipeline, {
      trigger: 'manual',
      now: () => frozenMs,
      owner: 'box-b:7',
      heartbeatIntervalMs: 10,
    });
    await taskStarted;
    const recovered = await recoverInterruptedRuns(store, { staleAfterMs: 1000, now: frozenMs + 5000 });
    expect(recovered.map((r) => r.pipeline)).toEqual(['hung']);

    const final = await runPromise;
    expect(signalReason).not.toBeNull();
    expect(final.status).toBe('failed');
    expect(final.error).toContain('its process (box-b:7) stopped heartbeating 5000 ms ago');
    expect(final.tasks.map((t) => [t.task, t.status])).toEqual([
      ['ingest', 'succeeded'],
      ['train', 'failed'],
      ['predict', 'skipped'],
    ]);
    expect(final.tasks[1]!.output).toBeNull();
  });

  it('refuses a staleness window that is not positive', async () => {
    const error = await recoverInterruptedRuns(store, { staleAfterMs: 0, now: 0 }).catch((e: unknown) => e);
    expect(isTipsterError(error, 'TIPSTER_ERR_PIPELINE_OPTION_INVALID')).toBe(true);
  });
});
