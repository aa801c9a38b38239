import { afterAll, beforeAll, expect, it } from 'vitest';
import { isTipsterError } from '../../src/core/errors.js';
import { definePipeline, type TaskContext } from '../../src/pipelines/define-pipeline.js';
import { getPipelineRun } from '../../src/pipelines/get-pipeline-run.js';
import { listPipelineRuns } from '../../src/pipelines/list-pipeline-runs.js';
import { PIPELINE_RUN_STATUSES, TASK_RUN_STATUSES } from '../../src/pipelines/pipeline-statuses.js';
import { runPipeline } from '../../src/pipelines/run-pipeline.js';
import type { Store } from '../../src/store/store.js';
import { describePerBackend, freshStore } from '../support/backends.js';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describePerBackend('pipeline runner', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await freshStore(backend);
  });
  afterAll(async () => {
    await store.close();
    await backend.cleanup();
  });

  it('runs a diamond in dependency order and hands each task its upstream outputs and the run params', async () => {
    const events: string[] = [];
    const step = (name: string, value: (ctx: TaskContext) => unknown) => async (ctx: TaskContext) => {
      events.push(`start ${name}`);
      await wait(5);
      events.push(`end ${name}`);
      return value(ctx);
    };
    const pipeline = definePipeline({
      name: 'diamond',
      description: 'ingest → (features, ratings) → predict',
      tasks: [
        { name: 'predict', dependsOn: ['features', 'ratings'], run: step('predict', (ctx) => ({ seen: ctx.upstream })) },
        { name: 'features', dependsOn: ['ingest'], run: step('features', (ctx) => (ctx.upstream.ingest as { rows: number }).rows * 2) },
        { name: 'ratings', dependsOn: ['ingest'], run: step('ratings', () => ['ARS', 'CHE']) },
        { name: 'ingest', run: step('ingest', (ctx) => ({ rows: 10, league: ctx.params.league })) },
      ],
    });
    const run = await runPipeline(store, pipeline, { params: { league: 'E0' }, trigger: 'manual' });

    expect(run.status).toBe('succeeded');
    expect(run.params).toEqual({ league: 'E0' });
    expect(run.trigger).toBe('manual');
    expect(run.durationMs).toBeGreaterThanOrEqual(0);
    expect(run.tasks.map((t) => [t.task, t.status, t.attempt])).toEqual([
      ['ingest', 'succeeded', 1],
      ['features', 'succeeded', 1],
      ['ratings', 'succeeded', 1],
      ['predict', 'succeeded', 1],
    ]);
    const at = (event: string) => events.indexOf(event);
    expect(at('end ingest')).toBeLessThan(at('start features'));
    expect(at('end ingest')).toBeLessThan(at('start ratings'));
    expect(at('start predict')).toBeGreaterThan(Math.max(at('end features'), at('end ratings')));
    const predict = run.tasks.find((t) => t.task === 'predict')!;
    expect(predict.output).toEqual({ seen: { features: 20, ratings: ['ARS', 'CHE'] } });
    expect(run.tasks[0]!.output).toEqual({ rows: 10, league: 'E0' });
    for (const task of run.tasks) expect(task.durationMs).toBeGreaterThanOrEqual(4);
    expect(await getPipelineRun(store, run.id)).toEqual(run);
  });

  it('runs independent tasks at the same time', async () => {
    let started = 0;
    let bothStarted!: () => void;
    const together = new Promise<void>((resolve) => (bothStarted = resolve));
    // Each task waits for the other to have started: run one after the other, they would time out.
    const meet = async () => {
      if (++started === 2) bothStarted();
      let timer: NodeJS.Timeout | undefined;
      const alone = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('ran alone')), 2000)));
      await Promise.race([together, alone]).finally(() => clearTimeout(timer));
      return started;
    };
    const pipeline = definePipeline({
      name: 'parallel',
      description: '',
      tasks: [
        { name: 'left', run: meet },
        { name: 'right', run: meet },
      ],
    });
    const run = await runPipeline(store, pipeline, { trigger: 'manual' });
    expect(run.status).toBe('succeeded');
    expect(run.tasks.map((t) => t.output)).toEqual([2, 2]);
  });

  it('retries a failing task with doubling backoff, recording every attempt', async () => {
    const delays: number[] = [];
    let calls = 0;
    const pipeline = definePipeline({
      name: 'flaky',
      description: '',
      tasks: [
        {
          name: 'download',
          retries: 3,
          retryBackoffMs: 40,
          run: async (ctx) => {
            calls += 1;
            if (ctx.attempt < 3) throw new Error(`HTTP 503 on attempt ${ctx.attempt}`);
            return 'ok';
          },
        },
        { name: 'load', dependsOn: ['download'], run: async (ctx) => ctx.upstream.download },
      ],
    });
    const run = await runPipeline(store, pipeline, {
      trigger: 'manual',
      sleep: async (ms) => {
        delays.push(ms);
      },
    });
    expect(run.status).toBe('succeeded');
    expect(calls).toBe(3);
    expect(delays).toEqual([40, 80]);
    const [download, load] = run.tasks;
    expect(download).toMatchObject({ status: 'succeeded', attempt: 3, error: null, output: 'ok' });
    expect(load).toMatchObject({ status: 'succeeded', attempt: 1, output: 'ok' });
    expect(download!.logs.filter((l) => l.level === 'error').map((l) => [l.attempt, l.message])).toEqual([
      [1, 'attempt 1 failed: HTTP 503 on attempt 1'],
      [2, 'attempt 2 failed: HTTP 503 on attempt 2'],
    ]);
  });

  it('really waits out the backoff between attempts', async () => {
    const startedAt: number[] = [];
    const pipeline = definePipeline({
      name: 'flaky-real-clock',
      description: '',
      tasks: [
        {
          name: 'only',
          retries: 2,
          retryBackoffMs: 25,
          run: async () => {
            startedAt.push(performance.now());
            if (startedAt.length < 3) throw new Error('not yet');
          },
        },
      ],
    });
    const run = await runPipeline(store, pipeline, { trigger: 'manual' });
    expect(run.status).toBe('succeeded');
    // Timers may fire up to ~1 ms early relative to performance.now.
    expect(startedAt[1]! - startedAt[0]!).toBeGreaterThanOrEqual(24);
    expect(startedAt[2]! - startedAt[1]!).toBeGreaterThanOrEqual(49);
    expect(run.tasks[0]!.durationMs).toBeGreaterThanOrEqual(74);
  });

  it('fails a task that overruns its timeout, aborts its signal and stops what depends on it', async () => {
    let aborted: unknown = null;
    const pipeline = definePipeline({
      name: 'slow',
      description: '',
      tasks: [
        {
          name: 'hang',
          timeoutMs: 50,
          run: (ctx) =>
            new Promise((_, reject) => {
              ctx.signal.addEventListener('abort', () => {
                aborted = ctx.signal.reason;
                reject(new Error('stopped'));
              });
            }),
        },
        { name: 'after', dependsOn: ['hang'], run: async () => 'never' },
      ],
    });
    const run = await runPipeline(store, pipeline, { trigger: 'manual' });
    expect(run.status).toBe('failed');
    expect(isTipsterError(aborted, 'TIPSTER_ERR_PIPELINE_TASK_TIMEOUT')).toBe(true);
    const [hang, after] = run.tasks;
    expect(hang).toMatchObject({ status: 'failed', attempt: 1, error: 'Task "hang" timed out after 50 ms (attempt 1)' });
    expect(hang!.durationMs).toBeGreaterThanOrEqual(45);
    expect(after).toMatchObject({ status: 'upstream_failed', attempt: 0, startedAtMs: null });
    expect(run.error).toBe('task "hang" failed: Task "hang" timed out after 50 ms (attempt 1)');
  });

  it('marks everything downstream of a failed task upstream_failed while independent branches finish', async () => {
    const ran: string[] = [];
    const ok = (name: string) => async () => {
      ran.push(name);
      return name;
    };
    const pipeline = definePipeline({
      name: 'broken',
      description: '',
      tasks: [
        { name: 'ingest', run: ok('ingest') },
        {
          name: 'train',
          dependsOn: ['ingest'],
          run: async () => {
            throw new Error('singular matrix');
          },
        },
        { name: 'register', dependsOn: ['train'], run: ok('register') },
        { name: 'promote', dependsOn: ['register'], run: ok('promote') },
        { name: 'report', dependsOn: ['ingest'], run: ok('report') },
      ],
    });
    const run = await runPipeline(store, pipeline, { trigger: 'manual' });
    expect(run.status).toBe('failed');
    expect(run.error).toBe('task "train" failed: singular matrix');
    expect(ran.sort()).toEqual(['ingest', 'report']);
    expect(Object.fromEntries(run.tasks.map((t) => [t.task, t.status]))).toEqual({
      ingest: 'succeeded',
      train: 'failed',
      register: 'upstream_failed',
      promote: 'upstream_failed',
      report: 'succeeded',
    });
    expect(run.tasks.find((t) => t.task === 'promote')!.error).toBe('upstream task "train" failed');
  });

  it('heartbeats the run while a long task works, so recovery can tell it is alive', async () => {
    const heartbeats: number[] = [];
    const pipeline = definePipeline({
      name: 'long',
      description: '',
      tasks: [
        {
          name: 'crunch',
          run: async (ctx) => {
            for (let i = 0; i < 4; i++) {
              const row = await store.db
                .selectFrom('pipeline_runs')
                .select('heartbeat_at_ms')
                .where('id', '=', ctx.runId)
                .executeTakeFirstOrThrow();
              heartbeats.push(row.heartbeat_at_ms);
              await wait(40);
            }
          },
        },
      ],
    });
    const run = await runPipeline(store, pipeline, { trigger: 'manual', heartbeatIntervalMs: 10 });
    expect(run.status).toBe('succeeded');
    expect(heartbeats[3]! - heartbeats[0]!).toBeGreaterThanOrEqual(60);
  });

  it('stores each task’s log lines per attempt, in order', async () => {
    const pipeline = definePipeline({
      name: 'chatty',
      description: '',
      tasks: [
        {
          name: 'fit',
          retries: 1,
          retryBackoffMs: 0,
          run: async (ctx) => {
            ctx.log.info(`fitting league ${String(ctx.params.league)}`);
            if (ctx.attempt === 1) {
              ctx.log.warn('optimiser did not converge');
              throw new Error('diverged');
            }
            ctx.log.debug('converged in 12 iterations');
          },
        },
        { name: 'quiet', run: async () => null },
      ],
    });
    const run = await runPipeline(store, pipeline, { trigger: 'manual', params: { league: 'SP1' } });
    const fit = run.tasks.find((t) => t.task === 'fit')!;
    expect(fit.logs.map((l) => [l.attempt, l.seq, l.level, l.message])).toEqual([
      [1, 1, 'info', 'fitting league SP1'],
      [1, 2, 'warn', 'optimiser did not converge'],
      [1, 3, 'error', 'attempt 1 failed: diverged'],
      [1, 4, 'warn', 'retrying in 0 ms'],
      [2, 1, 'info', 'fitting league SP1'],
      [2, 2, 'debug', 'converged in 12 iterations'],
    ]);
    expect(run.tasks.find((t) => t.task === 'quiet')!.logs).toEqual([]);
  });

  it('lists run history newest first with durations, filtered by pipeline and status', async () => {
    let clock = 5_000_000_000_000;
    const now = () => (clock += 10);
    const ok = definePipeline({ name: 'history', description: '', tasks: [{ name: 'a', run: async () => 1 }] });
    const bad = definePipeline({
      name: 'history',
      description: '',
      tasks: [
        {
          name: 'a',
          run: async () => {
            throw new Error('no');
          },
        },
      ],
    });
    const first = await runPipeline(store, ok, { trigger: 'schedule', now });
    const second = await runPipeline(store, bad, { trigger: 'manual', now });
    const third = await runPipeline(store, ok, { trigger: 'manual', now });

    const all = await listPipelineRuns(store, { pipeline: 'history', limit: 10 });
    expect(all.map((r) => r.id)).toEqual([third.id, second.id, first.id]);
    // Fake clock ticks 10 ms per reading: start, then attempt start, heartbeat, task end, run end.
    for (const run of all) expect(run.durationMs).toBe(run.finishedAtMs! - run.startedAtMs!);
    expect(all[0]!.durationMs).toBeGreaterThan(0);
    expect((await listPipelineRuns(store, { pipeline: 'history', status: 'failed', limit: 10 })).map((r) => r.id)).toEqual([
      second.id,
    ]);
    expect((await listPipelineRuns(store, { pipeline: 'history', limit: 1 })).map((r) => r.id)).toEqual([third.id]);
    // Without a pipeline filter this suite's newest run still comes first.
    expect((await listPipelineRuns(store, { limit: 1 }))[0]!.id).toBe(third.id);
  });

  it('keeps the status lists and the database constraints in step', async () => {
    const pipeline = definePipeline({ name: 'statuses', description: '', tasks: [{ name: 'a', run: async () => 1 }] });
    const run = await runPipeline(store, pipeline, { trigger: 'manual' });
    const setTask = (status: string) =>
      store.db.updateTable('task_runs').set({ status }).where('run_id', '=', run.id).where('task', '=', 'a').execute();
    for (const status of TASK_RUN_STATUSES) await setTask(status);
    await expect(setTask('paused')).rejects.toThrow();
    const setRun = (status: string) => store.db.updateTable('pipeline_runs').set({ status }).where('id', '=', run.id).execute();
    for (const status of PIPELINE_RUN_STATUSES) await setRun(status);
    await expect(setRun('cancelled')).rejects.toThrow();
  });

  it('rejects impossible queries and unknown run ids with catalogued errors', async () => {
    const limit = await listPipelineRuns(store, { limit: 0 }).catch((e: unknown) => e);
    expect(isTipsterError(limit, 'TIPSTER_ERR_PIPELINE_OPTION_INVALID')).toBe(true);
    const status = await listPipelineRuns(store, { limit: 5, status: 'done' as never }).catch((e: unknown) => e);
    expect(isTipsterError(status, 'TIPSTER_ERR_PIPELINE_OPTION_INVALID')).toBe(true);
    const missing = await getPipelineRun(store, '00000000-0000-0000-0000-000000000000').catch((e: unknown) => e);
    expect(isTipsterError(missing, 'TIPSTER_ERR_PIPELINE_RUN_NOT_FOUND')).toBe(true);
  });
});
