import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.js';
import { isTipsterError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/logger.js';
import { createTaskExecutor } from '../../src/pipelines/create-task-executor.js';
import { definePipeline, type PipelineDefinition } from '../../src/pipelines/define-pipeline.js';
import { PgBossTaskExecutor } from '../../src/pipelines/distributed/pg-boss-task-executor.js';
import { PipelineWorker, type PipelineWorkerEvent } from '../../src/pipelines/distributed/pipeline-worker.js';
import { TaskDispatchRepository } from '../../src/pipelines/distributed/task-dispatch-repository.js';
import { getPipelineRun } from '../../src/pipelines/get-pipeline-run.js';
import { InProcessTaskExecutor } from '../../src/pipelines/in-process-task-executor.js';
import { PipelineCatalogue } from '../../src/pipelines/pipeline-catalogue.js';
import type { PipelineRunDetail } from '../../src/pipelines/pipeline-run-record.js';
import { recoverInterruptedRuns } from '../../src/pipelines/recover-interrupted-runs.js';
import { runPipeline } from '../../src/pipelines/run-pipeline.js';
import { workerDrillPipeline } from '../../src/pipelines/worker-drill-pipeline.js';
import { migrateStore } from '../../src/store/migrate-store.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { availableBackends, describePerBackend, freshStore, type Backend } from '../support/backends.js';

const postgres = availableBackends().find((b) => b.name === 'postgres');

/** Polls `check` until it returns a value (not undefined), or fails after `timeoutMs`. */
async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });

/** What a run looks like apart from ids and times: the same on every executor. */
const shape = (run: PipelineRunDetail) => ({
  status: run.status,
  error: run.error,
  tasks: run.tasks.map((t) => ({
    task: t.task,
    status: t.status,
    attempt: t.attempt,
    error: t.error,
    output: t.output,
    logs: t.logs.map((l) => [l.attempt, l.seq, l.level, l.message]),
  })),
});

/** PostgreSQL only (workers need it); reported as skipped, with the reason, when no server is configured. */
const describePostgres = postgres === undefined ? describe.skip : describe;

describePostgres(`pipeline tasks on workers through pg-boss [postgres]${postgres === undefined ? ': PostgreSQL not configured (set TIPSTER_TEST_POSTGRES_URL)' : ''}`, () => {
  const backend = postgres as Backend;
  let store: Store;
  let url: string;
  let dispatches: TaskDispatchRepository;
  const events: PipelineWorkerEvent[] = [];
  const workers: PipelineWorker[] = [];
  const executors: PgBossTaskExecutor[] = [];

  const startWorker = async (catalogue: PipelineCatalogue, name: string) => {
    const worker = new PipelineWorker(store, {
      connectionString: url,
      catalogue,
      heartbeatIntervalMs: 100,
      name,
      onEvent: (event) => events.push(event),
    });
    await worker.start();
    workers.push(worker);
    return worker;
  };
  const executor = (options: { workerStaleAfterMs?: number; noWorkerTimeoutMs?: number } = {}) => {
    const created = new PgBossTaskExecutor(store, { connectionString: url, pollIntervalMs: 25, workerStaleAfterMs: 1000, ...options });
    executors.push(created);
    return created;
  };
  const dispatchRows = (runId: string) =>
    store.db
      .selectFrom('pipeline_task_dispatches')
      .select(['task', 'attempt', 'state', 'worker_id', 'error'])
      .where('run_id', '=', runId)
      .orderBy('task')
      .orderBy('attempt')
      .execute();

  beforeAll(async () => {
    url = await backend.freshUrl();
    store = await openStore(url);
    await migrateStore(store);
    dispatches = new TaskDispatchRepository(store);
  });
  // Workers of one test must not take the next test's tasks.
  afterEach(async () => {
    for (const worker of workers.splice(0)) await worker.stop({ graceMs: 0 });
    for (const created of executors.splice(0)) await created.close();
  });
  afterAll(async () => {
    await store?.close();
    await backend.cleanup();
  });

  const flaky: PipelineDefinition = {
    name: 'flaky-remote',
    description: '',
    tasks: [
      {
        name: 'fit',
        retries: 1,
        retryBackoffMs: 0,
        run: async (ctx) => {
          ctx.log.info(`fitting ${String(ctx.params.league)}`);
          if (ctx.attempt === 1) throw new Error('diverged');
          return { league: ctx.params.league, rows: 3 };
        },
      },
      { name: 'hang', timeoutMs: 100, run: (ctx) => sleep(60_000, ctx.signal) },
      { name: 'report', dependsOn: ['fit'], run: async (ctx) => ({ seen: ctx.upstream }) },
      { name: 'after-hang', dependsOn: ['hang'], run: async () => 'never' },
    ],
  };

  it('runs a pipeline on workers with the same results, retries, timeouts and log lines as in-process', async () => {
    const remote = definePipeline(flaky);
    await startWorker(new PipelineCatalogue([{ pipeline: remote }]), 'w-same');
    const onWorkers = await runPipeline(store, remote, { trigger: 'manual', params: { league: 'E0' }, executor: executor() });
    const here = await runPipeline(store, definePipeline(flaky), {
      trigger: 'manual',
      params: { league: 'E0' },
      executor: new InProcessTaskExecutor(store),
    });

    expect(shape(onWorkers)).toEqual(shape(here));
    expect(onWorkers.status).toBe('failed');
    expect(onWorkers.tasks.find((t) => t.task === 'report')!.output).toEqual({ seen: { fit: { league: 'E0', rows: 3 } } });
    expect(onWorkers.tasks.find((t) => t.task === 'hang')!.error).toBe('Task "hang" timed out after 100 ms (attempt 1)');
    // Every attempt went through the queue, once, and was recorded by the worker that claimed it.
    const rows = await dispatchRows(onWorkers.id);
    expect(rows.map((r) => [r.task, r.attempt, r.state])).toEqual([
      ['fit', 1, 'failed'],
      ['fit', 2, 'succeeded'],
      ['hang', 1, 'failed'],
      ['report', 1, 'succeeded'],
    ]);
    expect(new Set(rows.map((r) => r.worker_id))).toEqual(new Set([workers[0]!.id]));
  });

  it('runs worker-drill across two workers, b and c at the same time on different workers', async () => {
    const drill = workerDrillPipeline();
    const catalogue = new PipelineCatalogue([{ pipeline: drill }]);
    const [first, second] = [await startWorker(catalogue, 'w-drill-1'), await startWorker(catalogue, 'w-drill-2')];
    const run = await runPipeline(store, drill, { trigger: 'manual', params: { sleepMs: 700 }, executor: executor() });

    expect(run.status).toBe('succeeded');
    expect(run.tasks.map((t) => [t.task, t.status, t.attempt])).toEqual([
      ['a', 'succeeded', 1],
      ['b', 'succeeded', 1],
      ['c', 'succeeded', 1],
      ['d', 'succeeded', 1],
      ['e', 'succeeded', 1],
    ]);
    const rows = await dispatchRows(run.id);
    const ranBy = Object.fromEntries(rows.map((r) => [r.task, r.worker_id]));
    // Each worker runs one task at a time, and both slow tasks were ready together.
    expect(new Set([ranBy.b, ranBy.c])).toEqual(new Set([first!.id, second!.id]));
    expect(Object.keys((run.tasks[4]!.output as { ranOn: object }).ranOn).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('starts an attempt again elsewhere when its worker goes silent, and a late result from that worker does not count', async () => {
    const pipeline = definePipeline({
      name: 'zombie',
      description: '',
      tasks: [
        {
          name: 'only',
          run: async (ctx) => {
            ctx.log.info('real worker here');
            return 'from the live worker';
          },
        },
      ],
    });
    // The test plays a worker that claims the attempt, writes a line, then freezes (a partitioned machine).
    await dispatches.registerWorker({
      id: 'zombie-worker',
      name: 'zombie:1',
      host: 'zombie',
      pid: 1,
      concurrency: 1,
      pipelines: ['zombie'],
      heartbeatIntervalMs: 100,
      atMs: Date.now(),
    });
    const running = runPipeline(store, pipeline, { trigger: 'manual', executor: executor({ workerStaleAfterMs: 500 }) });
    const claimed = await waitFor('the attempt to be dispatched', async () => {
      const row = await store.db
        .selectFrom('pipeline_task_dispatches as d')
        .innerJoin('pipeline_runs as r', 'r.id', 'd.run_id')
        .select(['d.job_id', 'd.run_id'])
        .where('r.pipeline', '=', 'zombie')
        .where('d.state', '=', 'dispatched')
        .executeTakeFirst();
      return row !== undefined && (await dispatches.claim(row.job_id, 'zombie-worker', Date.now())) ? row : undefined;
    });
    const line = (seq: number, message: string) => ({
      runId: claimed.run_id,
      task: 'only',
      attempt: 1,
      seq,
      atMs: Date.now(),
      level: 'info' as const,
      message,
    });
    expect(await dispatches.appendLogFenced(claimed.job_id, 'zombie-worker', line(1, 'zombie started'))).toBe(true);
    // Only now does a real worker exist: the only place the attempt can go next.
    await startWorker(new PipelineCatalogue([{ pipeline }]), 'w-alive');
    const run = await running;

    expect(run.status).toBe('succeeded');
    const only = run.tasks[0]!;
    expect(only).toMatchObject({ status: 'succeeded', attempt: 2, output: 'from the live worker' });
    expect(only.logs.map((l) => [l.attempt, l.seq, l.message])).toEqual([
      [1, 1, 'zombie started'],
      [
        1,
        2,
        'attempt 1 lost: Attempt 1 of task "only" was lost: worker zombie:1 stopped heartbeating ' +
          only.logs[1]!.message.match(/heartbeating (\d+) ms/)![1] +
          ' ms ago; starting it again (a lost attempt does not use up a retry)',
      ],
      [2, 1, 'real worker here'],
    ]);
    // The zombie wakes up: its lines and result are refused, so nothing of it lands twice.
    expect(await dispatches.appendLogFenced(claimed.job_id, 'zombie-worker', line(3, 'zombie still here'))).toBe(false);
    expect(await dispatches.finish(claimed.job_id, 'zombie-worker', { ok: true, outputJson: '"from the zombie"', lastLogSeq: 3 }, Date.now())).toBe(
      false,
    );
    expect((await dispatchRows(run.id)).map((r) => [r.attempt, r.state])).toEqual([
      [1, 'lost'],
      [2, 'succeeded'],
    ]);
    expect((await getPipelineRun(store, run.id)).tasks[0]!.output).toBe('from the live worker');
  });

  it('hands a running attempt to another worker at once when its worker shuts down', async () => {
    const started: string[] = [];
    const pipeline = definePipeline({
      name: 'handover',
      description: '',
      tasks: [
        {
          name: 'long',
          run: async (ctx) => {
            started.push(`attempt ${ctx.attempt}`);
            if (ctx.attempt === 1) await sleep(60_000, ctx.signal);
            return ctx.attempt;
          },
        },
      ],
    });
    const catalogue = new PipelineCatalogue([{ pipeline }]);
    const leaving = await startWorker(catalogue, 'w-leaving');
    // Staleness would take a minute here: only the release can explain a quick handover.
    const running = runPipeline(store, pipeline, { trigger: 'manual', executor: executor({ workerStaleAfterMs: 60_000 }) });
    await waitFor('the first attempt to start', async () => (started.length === 1 ? true : undefined));
    await leaving.stop({ graceMs: 0 });
    await startWorker(catalogue, 'w-staying');
    const run = await running;

    expect(run.tasks[0]).toMatchObject({ status: 'succeeded', attempt: 2, output: 2 });
    expect(run.tasks[0]!.logs.map((l) => l.message)).toEqual([
      'attempt 1 lost: Attempt 1 of task "long" was lost: worker w-leaving shut down before it finished; starting it again (a lost attempt does not use up a retry)',
    ]);
    expect(events.some((e) => e.type === 'released' && e.job.runId === run.id)).toBe(true);
    const stopped = await store.db.selectFrom('pipeline_workers').select('stopped_at_ms').where('id', '=', leaving.id).executeTakeFirstOrThrow();
    expect(stopped.stopped_at_ms).not.toBeNull();
  });

  it('stops a task on its worker when the run is taken away, and records nothing more for it', async () => {
    let aborted: unknown;
    const pipeline = definePipeline({
      name: 'taken-away',
      description: '',
      tasks: [
        {
          name: 'long',
          run: async (ctx) => {
            try {
              await sleep(60_000, ctx.signal);
            } catch (error) {
              aborted = error;
              throw error;
            }
          },
        },
        { name: 'next', dependsOn: ['long'], run: async () => 'never' },
      ],
    });
    await startWorker(new PipelineCatalogue([{ pipeline }]), 'w-taken');
    const running = runPipeline(store, pipeline, { trigger: 'manual', heartbeatIntervalMs: 50, executor: executor() });
    const runId = await waitFor('the task to run on the worker', async () => {
      const row = await store.db
        .selectFrom('pipeline_task_dispatches as d')
        .innerJoin('pipeline_runs as r', 'r.id', 'd.run_id')
        .select('d.run_id')
        .where('r.pipeline', '=', 'taken-away')
        .where('d.state', '=', 'running')
        .executeTakeFirst();
      return row?.run_id;
    });
    // Another process decides the run is dead (as after a long pause of the coordinator) and fails it.
    const [recovered] = await recoverInterruptedRuns(store, { staleAfterMs: 1, now: Date.now() + 60_000 });
    expect(recovered!.id).toBe(runId);
    const run = await running;

    expect(run.status).toBe('failed');
    await waitFor('the worker to stop the task', async () => (aborted === undefined ? undefined : true));
    expect(isTipsterError(aborted, 'TIPSTER_ERR_PIPELINE_ATTEMPT_REVOKED')).toBe(true);
    // Recovery's record stands: the coordinator wrote nothing after it, and the worker's late word (if any) stayed on its dispatch row.
    expect(run.tasks.map((t) => [t.task, t.status])).toEqual([
      ['long', 'failed'],
      ['next', 'skipped'],
    ]);
    expect(run.tasks[0]!.error).toMatch(/^Run .* was interrupted/);
    expect(run.tasks[0]!.logs).toEqual([]);
    // Called back by the coordinator, or ended by the worker once it saw the run was over: final either way.
    expect(['withdrawn', 'failed']).toContain((await dispatchRows(runId))[0]!.state);
  });

  it('fails a task whose code the worker lacks (a newer pipeline on an older worker), naming what it knows', async () => {
    const onWorker = definePipeline({ name: 'skew', description: '', tasks: [{ name: 'x', run: async () => 1 }] });
    const onCoordinator = definePipeline({ name: 'skew', description: '', tasks: [{ name: 'y', run: async () => 1 }] });
    await startWorker(new PipelineCatalogue([{ pipeline: onWorker }]), 'w-old');
    const run = await runPipeline(store, onCoordinator, { trigger: 'manual', executor: executor() });
    expect(run.status).toBe('failed');
    expect(run.tasks[0]!.error).toBe('Worker w-old does not know task "y" of pipeline "skew" (it knows: skew)');
  });

  it('never hands a task to a worker that does not run its pipeline, and fails it when no worker that does is alive', async () => {
    const elsewhere = definePipeline({ name: 'elsewhere', description: '', tasks: [{ name: 'x', run: async () => 1 }] });
    const lonely = definePipeline({ name: 'lonely', description: '', tasks: [{ name: 'x', run: async () => 1 }] });
    await startWorker(new PipelineCatalogue([{ pipeline: elsewhere }]), 'w-elsewhere');
    const run = await runPipeline(store, lonely, {
      trigger: 'manual',
      executor: executor({ workerStaleAfterMs: 300, noWorkerTimeoutMs: 400 }),
    });
    expect(run.status).toBe('failed');
    expect(run.tasks[0]!.error).toMatch(
      /^Task "x" of pipeline "lonely" waited \d+ ms in the queue, and no `tipster worker` that runs this pipeline is alive$/,
    );
    expect(events.filter((e) => e.type !== 'skipped' && e.job.runId === run.id)).toEqual([]);
    expect((await dispatchRows(run.id)).map((r) => [r.state, r.worker_id])).toEqual([['withdrawn', null]]);
  });
});

describePerBackend('choosing where pipeline tasks run', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await freshStore(backend);
  });
  afterAll(async () => {
    await store.close();
    await backend.cleanup();
  });

  it('runs in-process on SQLite and on workers on PostgreSQL by default, and honours TIPSTER_PIPELINE_EXECUTOR', async () => {
    const config = (value?: string) => loadConfig(value === undefined ? {} : { TIPSTER_PIPELINE_EXECUTOR: value }, '/');
    const kind = (value?: string) => createTaskExecutor(store, config(value), { logger: silentLogger() }).kind;
    expect(kind()).toBe(backend.name === 'postgres' ? 'workers' : 'in-process');
    expect(kind('in-process')).toBe('in-process');
    if (backend.name === 'postgres') {
      expect(kind('workers')).toBe('workers');
    } else {
      let error: unknown;
      try {
        kind('workers');
      } catch (e) {
        error = e;
      }
      expect(isTipsterError(error, 'TIPSTER_ERR_PIPELINE_WORKERS_NEED_POSTGRES')).toBe(true);
      expect((error as Error).message).toMatch(/^Pipeline workers need PostgreSQL, but the store is sqlite:/);
    }
  });
});
