import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type PgBoss from 'pg-boss';
import { TipsterError } from '../../core/errors.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import type { Store } from '../../store/store.js';
import type { PipelineTask } from '../define-pipeline.js';
import type { PipelineCatalogue } from '../pipeline-catalogue.js';
import { messageOf, runTaskAttempt } from '../run-task-attempt.js';
import type { AttemptResult } from '../task-executor.js';
import { PgNotificationListener, RESULTS_CHANNEL, TASKS_CHANNEL } from './pg-notification-listener.js';
import { parsePipelineTaskJob, taskQueueName, type PipelineTaskJob } from './pipeline-task-job.js';
import { ensureTaskQueues, startTaskQueue } from './start-task-queue.js';
import { TaskDispatchRepository } from './task-dispatch-repository.js';
import { WorkerHeartbeatThread } from './worker-heartbeat-thread.js';

/** How a worker behaves. */
export interface PipelineWorkerOptions {
  /** The PostgreSQL database of the store (pg-boss keeps its queue there too). */
  readonly connectionString: string;
  /** Where task code comes from: the same catalogue the coordinators build. */
  readonly catalogue: PipelineCatalogue;
  /** Attempts run at once (default 1). */
  readonly concurrency?: number;
  /** How often the worker proves it is alive and checks that its attempts are still wanted (default 1000 ms). */
  readonly heartbeatIntervalMs?: number;
  /** How often an idle worker looks for work when no notification wakes it earlier (default 1000 ms). */
  readonly pollIntervalMs?: number;
  /** Names the worker in records and output (default `host:pid`). */
  readonly name?: string;
  readonly logger?: Logger;
  /** Told what the worker takes and how each attempt ends, for the CLI to print. */
  readonly onEvent?: (event: PipelineWorkerEvent) => void;
}

/** Where an attempt stands, as the worker tells its operator. */
export type PipelineWorkerEvent =
  | { readonly type: 'took'; readonly job: PipelineTaskJob }
  | {
      readonly type: 'finished';
      readonly job: PipelineTaskJob;
      /** `discarded`: the attempt had been handed elsewhere meanwhile, so its result did not count. */
      readonly outcome: 'succeeded' | 'failed' | 'discarded';
      readonly durationMs: number;
      readonly error: string | null;
    }
  | { readonly type: 'released'; readonly job: PipelineTaskJob; readonly reason: string }
  | { readonly type: 'revoked'; readonly job: PipelineTaskJob; readonly reason: string }
  | { readonly type: 'skipped'; readonly jobId: string; readonly reason: string };

interface ActiveAttempt {
  readonly jobId: string;
  readonly job: PipelineTaskJob;
  readonly controller: AbortController;
  /** Set once the claim is stored; only claimed attempts are compared with what the store says we hold. */
  claimed: boolean;
}

const DEFAULT_HEARTBEAT_INTERVAL_MS = 1000;
const DEFAULT_POLL_INTERVAL_MS = 1000;
/** Rows of workers silent for this long are deleted when a worker starts. */
const FORGET_WORKERS_AFTER_MS = 7 * 24 * 3600_000;

/**
 * A `tipster worker`: takes task attempts from the pg-boss queues of the pipelines its catalogue
 * knows, runs them with that code, and records each result on the attempt's dispatch row. It fetches
 * only while it has a free slot (so `concurrency` is exact), when woken by a notification or every
 * poll interval. A separate thread keeps its heartbeat; on each beat the worker also stops attempts
 * the coordinator has given up (their results would not count) and lets go of attempts it holds but
 * no longer runs.
 */
export class PipelineWorker {
  readonly id = randomUUID();
  readonly name: string;
  readonly concurrency: number;
  readonly #options: PipelineWorkerOptions;
  readonly #store: Store;
  readonly #repository: TaskDispatchRepository;
  readonly #logger: Logger;
  readonly #heartbeatIntervalMs: number;
  readonly #pollIntervalMs: number;
  readonly #active = new Map<string, ActiveAttempt>();
  readonly #idleWaiters = new Set<() => void>();
  #intakeWaiter: (() => void) | undefined;
  #wakePending = false;
  #intake: Promise<void> = Promise.resolve();
  /** pg-boss completions still being written; shutdown waits for them so no job is left active. */
  readonly #settling = new Set<Promise<unknown>>();
  #boss: PgBoss | undefined;
  #listener: PgNotificationListener | undefined;
  #heartbeat: WorkerHeartbeatThread | undefined;
  #checkTimer: NodeJS.Timeout | undefined;
  #checking: Promise<void> = Promise.resolve();
  #stopping = false;
  #stopped: Promise<void> | undefined;

  constructor(store: Store, options: PipelineWorkerOptions) {
    const concurrency = options.concurrency ?? 1;
    if (!(Number.isInteger(concurrency) && concurrency >= 1)) {
      throw new TipsterError('TIPSTER_ERR_PIPELINE_OPTION_INVALID', { detail: `concurrency must be a whole number ≥ 1, got ${concurrency}` });
    }
    const heartbeatIntervalMs = options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS;
    if (!(Number.isFinite(heartbeatIntervalMs) && heartbeatIntervalMs >= 50)) {
      throw new TipsterError('TIPSTER_ERR_PIPELINE_OPTION_INVALID', {
        detail: `heartbeatIntervalMs must be a number ≥ 50, got ${heartbeatIntervalMs}`,
      });
    }
    const pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    if (!(Number.isFinite(pollIntervalMs) && pollIntervalMs >= 50)) {
      throw new TipsterError('TIPSTER_ERR_PIPELINE_OPTION_INVALID', { detail: `pollIntervalMs must be a number ≥ 50, got ${pollIntervalMs}` });
    }
    this.name = options.name ?? `${os.hostname()}:${process.pid}`;
    this.concurrency = concurrency;
    this.#options = options;
    this.#store = store;
    this.#repository = new TaskDispatchRepository(store);
    this.#logger = options.logger ?? silentLogger();
    this.#heartbeatIntervalMs = heartbeatIntervalMs;
    this.#pollIntervalMs = pollIntervalMs;
  }

  /** Attempts running right now. */
  get activeAttempts(): number {
    return this.#active.size;
  }

  /** Registers the worker, starts its heartbeat and begins taking attempts. */
  async start(): Promise<void> {
    const pipelines = this.#options.catalogue.list().map((e) => e.pipeline.name);
    const startedAtMs = Date.now();
    await this.#repository.pruneWorkers(startedAtMs - FORGET_WORKERS_AFTER_MS);
    await this.#repository.registerWorker({
      id: this.id,
      name: this.name,
      host: os.hostname(),
      pid: process.pid,
      concurrency: this.concurrency,
      pipelines,
      heartbeatIntervalMs: this.#heartbeatIntervalMs,
      atMs: startedAtMs,
    });
    try {
      this.#heartbeat = await WorkerHeartbeatThread.start({
        connectionString: this.#options.connectionString,
        workerId: this.id,
        intervalMs: this.#heartbeatIntervalMs,
        onError: (message) => this.#logger.warn({ worker: this.name }, `heartbeat failed: ${message}`),
      });
      this.#boss = await startTaskQueue(this.#options.connectionString, {
        role: 'worker',
        maxConnections: 2 + this.concurrency,
        logger: this.#logger,
      });
      const queues = pipelines.map(taskQueueName);
      await ensureTaskQueues(this.#store, this.#boss, queues);
      const known = new Set(pipelines);
      this.#listener = await PgNotificationListener.start(
        this.#options.connectionString,
        TASKS_CHANNEL,
        (pipeline) => {
          if (pipeline === '' || known.has(pipeline)) this.#wakeIntake();
        },
        this.#logger,
      );
      this.#intake = this.#takeAttempts(this.#boss, queues);
    } catch (error) {
      await this.#shutdown();
      throw error;
    }
    this.#checkTimer = setInterval(() => {
      this.#checking = this.#checking
        .then(() => this.#checkHeld())
        .catch((error: unknown) => this.#logger.warn({ err: error, worker: this.name }, 'checking held attempts failed; trying again'));
    }, this.#heartbeatIntervalMs);
  }

  /**
   * Stops taking attempts, lets running ones finish for up to `graceMs`, then lets go of the rest (the
   * coordinator starts them again elsewhere at once) and shuts down. Safe to call more than once.
   */
  stop(options: { graceMs?: number } = {}): Promise<void> {
    this.#stopped ??= this.#stop(options.graceMs ?? 10_000);
    return this.#stopped;
  }

  async #stop(graceMs: number): Promise<void> {
    this.#stopping = true;
    this.#wakeIntake();
    await this.#intake;
    await this.#whenIdle(graceMs);
    for (const active of this.#active.values()) {
      if (!active.claimed) continue;
      const reason = `worker ${this.name} shut down before it finished`;
      const released = await this.#repository.release(active.jobId, this.id, reason, Date.now()).catch(() => false);
      if (released) {
        this.#emit({ type: 'released', job: active.job, reason });
        await this.#repository.notify(RESULTS_CHANNEL, active.jobId).catch(() => undefined);
      }
      active.controller.abort(this.#revoked(active.job, 'the worker is shutting down'));
    }
    // Aborted attempts end at once (their runner does not wait for the task); give stragglers a moment.
    await this.#whenIdle(5000);
    await this.#shutdown();
  }

  async #shutdown(): Promise<void> {
    clearInterval(this.#checkTimer);
    await this.#checking;
    await Promise.all([...this.#settling]);
    await this.#listener?.close();
    await this.#boss?.stop({ graceful: true, wait: true, close: true, timeout: 2000 }).catch(() => undefined);
    await this.#repository.markWorkerStopped(this.id, Date.now()).catch(() => undefined);
    await this.#heartbeat?.stop();
  }

  /**
   * Fetches an attempt whenever a slot is free, from the worker's queues in turn; sleeps a poll
   * interval (or until woken) when there is nothing to take. Ends when the worker stops.
   */
  async #takeAttempts(boss: PgBoss, queues: readonly string[]): Promise<void> {
    let turn = 0;
    while (!this.#stopping) {
      let taken: { queue: string; job: PgBoss.Job<unknown> } | undefined;
      if (this.#active.size < this.concurrency) {
        try {
          for (let i = 0; i < queues.length && taken === undefined; i++) {
            const queue = queues[(turn + i) % queues.length]!;
            const [job] = await boss.fetch<unknown>(queue, { batchSize: 1 });
            if (job !== undefined) taken = { queue, job };
          }
        } catch (error) {
          this.#logger.warn({ err: error }, 'fetching pipeline tasks failed; trying again');
        }
        turn = (turn + 1) % Math.max(1, queues.length);
      }
      if (taken === undefined) {
        await this.#pause(this.#pollIntervalMs);
        continue;
      }
      if (this.#stopping) {
        // Fetched as the worker began to stop: failing it hands it back to the queue for another worker.
        await boss.fail(taken.queue, taken.job.id, { reason: `worker ${this.name} is shutting down` }).catch(() => undefined);
        return;
      }
      const { queue, job } = taken;
      const settled = this.#handle(job)
        .then(
          (output) => boss.complete(queue, job.id, output),
          (error: unknown) => boss.fail(queue, job.id, { reason: messageOf(error) }),
        )
        .catch((error: unknown) => this.#logger.warn({ err: error, jobId: job.id }, 'could not close the pg-boss job'))
        .finally(() => this.#settling.delete(settled));
      this.#settling.add(settled);
    }
  }

  /** Waits `ms`, or less when woken (a notification, a freed slot, stopping), also by a wake that came while busy. */
  #pause(ms: number): Promise<void> {
    if (this.#wakePending) {
      this.#wakePending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#intakeWaiter = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#intakeWaiter = done;
    });
  }

  #wakeIntake(): void {
    if (this.#intakeWaiter === undefined) this.#wakePending = true;
    else this.#intakeWaiter();
  }

  /** Runs one fetched attempt, if it is still wanted; resolves with what pg-boss records as the job's output. */
  async #handle(raw: PgBoss.Job<unknown>): Promise<object> {
    const job = parsePipelineTaskJob(raw.data);
    if ('invalid' in job) {
      this.#emit({ type: 'skipped', jobId: raw.id, reason: `malformed job: ${job.invalid}` });
      return { outcome: 'skipped', reason: job.invalid };
    }
    // Registered before the first await, so the intake loop counts the slot as taken.
    const active: ActiveAttempt = { jobId: raw.id, job, controller: new AbortController(), claimed: false };
    this.#active.set(raw.id, active);
    try {
      if (!(await this.#repository.claim(raw.id, this.id, Date.now()))) {
        const reason = 'the attempt is no longer wanted (already taken, given up, or its run ended)';
        this.#emit({ type: 'skipped', jobId: raw.id, reason });
        return { outcome: 'skipped', reason };
      }
      active.claimed = true;
      this.#emit({ type: 'took', job });
      const startedAtMs = performance.now();
      let result: AttemptResult;
      try {
        result = await this.#run(active);
      } catch (error) {
        // The attempt could not be run or its lines stored (database trouble): let go so it runs elsewhere.
        const reason = `worker ${this.name} could not run it: ${messageOf(error)}`;
        const released = await this.#repository.release(raw.id, this.id, reason, Date.now()).catch(() => false);
        if (released) {
          this.#emit({ type: 'released', job, reason });
          await this.#repository.notify(RESULTS_CHANNEL, raw.id).catch(() => undefined);
        }
        return { outcome: 'released', reason };
      }
      const recorded = await this.#repository.finish(
        raw.id,
        this.id,
        result.ok
          ? { ok: true, outputJson: result.outputJson, lastLogSeq: result.lastLogSeq }
          : { ok: false, error: messageOf(result.error), lastLogSeq: result.lastLogSeq },
        Date.now(),
      );
      if (recorded) await this.#repository.notify(RESULTS_CHANNEL, raw.id).catch(() => undefined);
      const outcome = !recorded ? 'discarded' : result.ok ? 'succeeded' : 'failed';
      const error = result.ok ? null : messageOf(result.error);
      this.#emit({ type: 'finished', job, outcome, durationMs: Math.round(performance.now() - startedAtMs), error });
      return { outcome };
    } finally {
      this.#active.delete(raw.id);
      this.#wakeIntake();
      if (this.#active.size === 0) for (const wake of this.#idleWaiters) wake();
    }
  }

  #run(active: ActiveAttempt): Promise<AttemptResult> {
    const { job, jobId } = active;
    let task: PipelineTask | undefined;
    if (this.#options.catalogue.has(job.pipeline)) task = this.#options.catalogue.get(job.pipeline).pipeline.taskByName.get(job.task);
    if (task === undefined) {
      const error = new TipsterError('TIPSTER_ERR_PIPELINE_TASK_UNKNOWN_TO_WORKER', {
        worker: this.name,
        task: job.task,
        pipeline: job.pipeline,
        known: this.#options.catalogue.list().map((e) => e.pipeline.name).join(', ') || '(none)',
      });
      return Promise.resolve({ ok: false, error, lastLogSeq: 0 });
    }
    return runTaskAttempt({
      runId: job.runId,
      pipeline: job.pipeline,
      task,
      attempt: job.attempt,
      paramsJson: job.paramsJson,
      upstreamJson: job.upstreamJson,
      logSink: { appendLog: (line) => this.#repository.appendLogFenced(jobId, this.id, line) },
      now: Date.now,
      signal: active.controller.signal,
    });
  }

  /**
   * Compares what the store says this worker holds with what it runs: attempts given up by their
   * coordinator (or whose run ended) are stopped, and attempts held but no longer running here are let go.
   */
  async #checkHeld(): Promise<void> {
    const claimedBefore = [...this.#active.values()].filter((a) => a.claimed);
    const held = await this.#repository.heldBy(this.id);
    const runStatusByJob = new Map(held.map((h) => [h.jobId, h.runStatus]));
    for (const active of claimedBefore) {
      if (!this.#active.has(active.jobId) || active.controller.signal.aborted) continue;
      const runStatus = runStatusByJob.get(active.jobId);
      if (runStatus === undefined || runStatus !== 'running') {
        const reason = runStatus === undefined ? 'the coordinator gave it up (it took this worker for dead, or the attempt was called back)' : `its run is ${runStatus}`;
        this.#emit({ type: 'revoked', job: active.job, reason });
        active.controller.abort(this.#revoked(active.job, reason));
      }
    }
    for (const { jobId } of held) {
      if (this.#active.has(jobId)) continue;
      await this.#repository.release(jobId, this.id, `worker ${this.name} was no longer running it`, Date.now());
    }
  }

  #revoked(job: PipelineTaskJob, reason: string): TipsterError {
    return new TipsterError('TIPSTER_ERR_PIPELINE_ATTEMPT_REVOKED', { attempt: job.attempt, task: job.task, worker: this.name, reason });
  }

  #whenIdle(timeoutMs: number): Promise<void> {
    if (this.#active.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#idleWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.#idleWaiters.add(done);
    });
  }

  #emit(event: PipelineWorkerEvent): void {
    try {
      this.#options.onEvent?.(event);
    } catch (error) {
      this.#logger.warn({ err: error }, 'a worker event listener failed');
    }
  }
}
