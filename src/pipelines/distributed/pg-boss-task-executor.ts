import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type PgBoss from 'pg-boss';
import { TipsterError } from '../../core/errors.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import type { Store } from '../../store/store.js';
import { messageOf } from '../run-task-attempt.js';
import type { AttemptResult, TaskAttempt, TaskExecutor } from '../task-executor.js';
import type { DispatchState } from './dispatch-states.js';
import { HeartbeatWatch } from './heartbeat-watch.js';
import { PgNotificationListener, RESULTS_CHANNEL, TASKS_CHANNEL } from './pg-notification-listener.js';
import { taskQueueName, type PipelineTaskJob } from './pipeline-task-job.js';
import { ensureTaskQueues, startTaskQueue } from './start-task-queue.js';
import { TaskDispatchRepository, type DispatchView, type WorkerBeat } from './task-dispatch-repository.js';

/** How the coordinator side of distributed execution behaves. */
export interface PgBossTaskExecutorOptions {
  /** The PostgreSQL database of the store (pg-boss keeps its queue there too). */
  readonly connectionString: string;
  /**
   * A worker whose heartbeat has not moved for this long is taken for dead and its attempts are started
   * again elsewhere (default 5000 ms; never less than three of that worker's heartbeat intervals).
   */
  readonly workerStaleAfterMs?: number;
  /** An attempt still queued after this long, while no worker is alive, fails (default 30000 ms). */
  readonly noWorkerTimeoutMs?: number;
  /** How often dispatched attempts are checked when no notification says sooner (default 500 ms). */
  readonly pollIntervalMs?: number;
  readonly logger?: Logger;
}

interface Pending {
  readonly attempt: TaskAttempt;
  readonly jobId: string;
  /** On this process's monotonic clock. */
  readonly dispatchedAtMs: number;
  /** When this process first saw a worker holding it (monotonic); null while queued. */
  runningSinceMs: number | null;
  /** True while a give-up is under way, so a tick and an abort never settle it twice. */
  busy: boolean;
  readonly resolve: (result: AttemptResult) => void;
  readonly reject: (error: unknown) => void;
  readonly onAbort: () => void;
}

const DEFAULT_WORKER_STALE_AFTER_MS = 5000;
const DEFAULT_NO_WORKER_TIMEOUT_MS = 30_000;
const DEFAULT_POLL_INTERVAL_MS = 500;
/** pg-boss refuses expiries of 24 h or more; a task with no timeout gets the most it allows. */
const MAX_JOB_EXPIRY_SECONDS = 23 * 3600;
/** Deliveries pg-boss may retry after infrastructure trouble (a worker that fetched the job and died, or was stopping). */
const JOB_RETRY_LIMIT = 3;
/** How long the store may fail every poll before the attempts waiting on it fail the run. */
const STORE_OUTAGE_TOLERANCE_MS = 30_000;
/** Workers silent for longer than this (by their own clocks) are not even looked at. */
const WORKER_LOOKBACK_MS = 24 * 3600_000;

/**
 * Runs attempts on `tipster worker` processes: each attempt is a dispatch row plus a pg-boss job on
 * its pipeline's queue. A worker claims the row, runs the task, and records the result on the row,
 * which this executor polls (and is told about at once through a PostgreSQL notification).
 * While an attempt runs, its worker's heartbeat is watched; when it stops moving the attempt is given
 * up (compare-and-set on the row, so a late result from that worker no longer counts) and reported
 * lost, and the coordinator starts it again as a new attempt on another worker.
 */
export class PgBossTaskExecutor implements TaskExecutor {
  readonly kind = 'workers' as const;
  readonly #store: Store;
  readonly #repository: TaskDispatchRepository;
  readonly #connectionString: string;
  readonly #staleAfterMs: number;
  readonly #noWorkerTimeoutMs: number;
  readonly #pollIntervalMs: number;
  readonly #logger: Logger;
  readonly #watch = new HeartbeatWatch();
  readonly #pending = new Map<string, Pending>();
  #boss: Promise<PgBoss> | undefined;
  readonly #queues = new Set<string>();
  #listener: PgNotificationListener | undefined;
  #timer: NodeJS.Timeout | undefined;
  #ticking = false;
  #tickAgain = false;
  #closed = false;
  #storeTroubleSinceMs: number | null = null;

  constructor(store: Store, options: PgBossTaskExecutorOptions) {
    this.#store = store;
    this.#repository = new TaskDispatchRepository(store);
    this.#connectionString = options.connectionString;
    this.#staleAfterMs = positive(options.workerStaleAfterMs ?? DEFAULT_WORKER_STALE_AFTER_MS, 'workerStaleAfterMs');
    this.#noWorkerTimeoutMs = positive(options.noWorkerTimeoutMs ?? DEFAULT_NO_WORKER_TIMEOUT_MS, 'noWorkerTimeoutMs');
    this.#pollIntervalMs = positive(options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS, 'pollIntervalMs');
    this.#logger = options.logger ?? silentLogger();
  }

  /** Queues the attempt for the workers and resolves once a worker's result (or its loss) is known. */
  async runAttempt(attempt: TaskAttempt): Promise<AttemptResult> {
    if (this.#closed) throw new Error('the workers executor is closed');
    const boss = await this.#queue();
    const queue = taskQueueName(attempt.pipeline.name);
    if (!this.#queues.has(queue)) {
      await ensureTaskQueues(this.#store, boss, [queue]);
      this.#queues.add(queue);
    }
    const jobId = randomUUID();
    const { task } = attempt;
    await this.#repository.createDispatch({ jobId, runId: attempt.runId, task: task.name, attempt: attempt.attempt, atMs: attempt.now() });
    const job: PipelineTaskJob = {
      runId: attempt.runId,
      pipeline: attempt.pipeline.name,
      task: task.name,
      attempt: attempt.attempt,
      paramsJson: attempt.paramsJson,
      upstreamJson: attempt.upstreamJson,
      timeoutMs: task.timeoutMs,
    };
    const expireInSeconds =
      task.timeoutMs === null ? MAX_JOB_EXPIRY_SECONDS : Math.min(MAX_JOB_EXPIRY_SECONDS, Math.ceil(task.timeoutMs / 1000) + 300);
    try {
      const sent = await boss.send(queue, job, { id: jobId, retryLimit: JOB_RETRY_LIMIT, retryDelay: 0, expireInSeconds });
      if (sent === null) throw new Error(`pg-boss did not queue job ${jobId}`);
    } catch (error) {
      await this.#repository
        .giveUp(jobId, { from: ['dispatched'], to: 'withdrawn', error: `it could not be queued: ${messageOf(error)}`, atMs: attempt.now() })
        .catch(() => false);
      throw error;
    }
    this.#logger.debug({ runId: attempt.runId, task: task.name, attempt: attempt.attempt, jobId }, 'attempt dispatched');
    await this.#repository.notify(TASKS_CHANNEL, attempt.pipeline.name).catch(() => undefined);
    return new Promise<AttemptResult>((resolve, reject) => {
      const pending: Pending = {
        attempt,
        jobId,
        dispatchedAtMs: performance.now(),
        runningSinceMs: null,
        busy: false,
        resolve,
        reject,
        onAbort: () => this.#kick(),
      };
      this.#pending.set(jobId, pending);
      attempt.signal.addEventListener('abort', pending.onAbort, { once: true });
      if (attempt.signal.aborted) this.#kick();
      else this.#schedule();
    });
  }

  /** Calls back attempts still waiting (they fail), then stops pg-boss. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const pending of this.#pending.values()) {
      const error = new Error('the coordinator closed its workers executor before the attempt finished');
      await this.#giveUp(pending, { from: ['dispatched', 'running'], to: 'withdrawn', error: error.message }, (lastLogSeq) => ({
        ok: false,
        error,
        lastLogSeq,
      }));
      if (this.#pending.has(pending.jobId)) this.#settle(pending, { ok: false, error, lastLogSeq: 0 });
    }
    const boss = await this.#boss?.catch(() => undefined);
    await this.#listener?.close();
    await boss?.stop({ graceful: true, wait: true, close: true, timeout: 1000 });
  }

  /** pg-boss and the result notifications, started on first use. */
  #queue(): Promise<PgBoss> {
    this.#boss ??= (async () => {
      const boss = await startTaskQueue(this.#connectionString, { role: 'coordinator', maxConnections: 3, logger: this.#logger });
      try {
        this.#listener = await PgNotificationListener.start(
          this.#connectionString,
          RESULTS_CHANNEL,
          (jobId) => {
            if (jobId === '' || this.#pending.has(jobId)) this.#kick();
          },
          this.#logger,
        );
      } catch (error) {
        await boss.stop({ graceful: false, close: true }).catch(() => undefined);
        throw error;
      }
      return boss;
    })().catch((error: unknown) => {
      // The next attempt tries again rather than inheriting this failure forever.
      this.#boss = undefined;
      throw error;
    });
    return this.#boss;
  }

  #schedule(delayMs = this.#pollIntervalMs): void {
    if (this.#closed || this.#ticking || this.#timer !== undefined || this.#pending.size === 0) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#runTick();
    }, delayMs);
  }

  /** Checks at once (a result was announced, or an attempt's run was taken away). */
  #kick(): void {
    if (this.#ticking) {
      this.#tickAgain = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#schedule(0);
  }

  async #runTick(): Promise<void> {
    this.#ticking = true;
    try {
      await this.#tick();
    } catch (error) {
      this.#logger.warn({ err: error }, 'checking dispatched pipeline tasks failed; trying again');
    } finally {
      this.#ticking = false;
    }
    const again = this.#tickAgain;
    this.#tickAgain = false;
    this.#schedule(again ? 0 : this.#pollIntervalMs);
  }

  async #tick(): Promise<void> {
    const pendings = [...this.#pending.values()].filter((p) => !p.busy);
    if (pendings.length === 0) return;
    const nowMs = performance.now();
    let views: DispatchView[];
    try {
      views = await this.#repository.readDispatches(pendings.map((p) => p.jobId));
      this.#storeTroubleSinceMs = null;
    } catch (error) {
      this.#storeTroubleSinceMs ??= nowMs;
      if (nowMs - this.#storeTroubleSinceMs > STORE_OUTAGE_TOLERANCE_MS) {
        for (const pending of pendings) this.#fail(pending, error);
        return;
      }
      throw error;
    }
    const byJob = new Map(views.map((v) => [v.jobId, v]));
    const queued: Pending[] = [];
    for (const pending of pendings) {
      if (pending.busy) continue;
      const view = byJob.get(pending.jobId);
      const { attempt } = pending;
      if (view === undefined) {
        this.#settle(pending, { ok: false, error: new Error('its dispatch record disappeared (was the run deleted?)'), lastLogSeq: 0 });
        continue;
      }
      if (attempt.signal.aborted && (view.state === 'dispatched' || view.state === 'running')) {
        // If a result lands first, the give-up fails and the next tick reads that result instead.
        await this.#giveUp(
          pending,
          { from: ['dispatched', 'running'], to: 'withdrawn', error: 'its run is no longer running on the coordinator' },
          (lastLogSeq) => ({ ok: false, error: attempt.signal.reason, lastLogSeq }),
        );
        continue;
      }
      await this.#follow(pending, view, nowMs, queued);
    }
    if (queued.length > 0) await this.#checkSomeoneTakes(queued, nowMs);
    this.#watch.forgetIdle(nowMs, 10 * 60_000);
  }

  /** Acts on one attempt's dispatch row. */
  async #follow(pending: Pending, view: DispatchView, nowMs: number, queued: Pending[]): Promise<void> {
    const state: DispatchState = view.state;
    switch (state) {
      case 'succeeded':
        this.#settle(pending, { ok: true, outputJson: view.output ?? 'null', lastLogSeq: view.lastLogSeq ?? 0 });
        return;
      case 'failed':
        this.#settle(pending, { ok: false, error: new Error(view.error ?? 'unknown error'), lastLogSeq: view.lastLogSeq ?? 0 });
        return;
      case 'lost':
      case 'withdrawn': {
        // Given up by its worker (shutting down) or by another hand; the fence makes the log count final.
        const lastLogSeq = await this.#lastLogSeq(pending);
        const error = lostError(pending.attempt, view.error ?? 'its worker let go of it');
        this.#settle(pending, state === 'lost' ? { ok: false, lost: true, error, lastLogSeq } : { ok: false, error, lastLogSeq });
        return;
      }
      case 'dispatched':
        queued.push(pending);
        return;
      case 'running':
        await this.#watchRunning(pending, view, nowMs);
        return;
    }
  }

  async #watchRunning(pending: Pending, view: DispatchView, nowMs: number): Promise<void> {
    pending.runningSinceMs ??= nowMs;
    const worker = view.worker;
    const staleAfterMs = worker === null ? 0 : this.#staleAfterFor(worker);
    const stillMs = worker === null ? Number.POSITIVE_INFINITY : this.#watch.observe(worker.id, worker.heartbeatAtMs, nowMs);
    if (worker === null || worker.stoppedAtMs !== null || stillMs > staleAfterMs) {
      const reason =
        worker === null
          ? `its worker (${view.workerId ?? 'unknown'}) is not registered`
          : worker.stoppedAtMs !== null
            ? `worker ${worker.name} shut down without finishing it`
            : `worker ${worker.name} stopped heartbeating ${Math.round(stillMs)} ms ago`;
      const error = lostError(pending.attempt, reason);
      this.#logger.warn({ runId: pending.attempt.runId, task: pending.attempt.task.name, worker: worker?.name }, error.message);
      await this.#giveUp(
        pending,
        { from: ['running'], to: 'lost', error: error.message, workerId: view.workerId ?? undefined },
        (lastLogSeq) => ({ ok: false, lost: true, error, lastLogSeq }),
      );
      return;
    }
    // Backstop for a worker that is alive but whose task cannot be stopped (a blocked event loop).
    const { task, attempt } = pending.attempt;
    if (task.timeoutMs !== null && nowMs - pending.runningSinceMs > task.timeoutMs + staleAfterMs) {
      const error = new TipsterError('TIPSTER_ERR_PIPELINE_TASK_TIMEOUT', { task: task.name, timeoutMs: task.timeoutMs, attempt });
      await this.#giveUp(pending, { from: ['running'], to: 'withdrawn', error: error.message }, (lastLogSeq) => ({
        ok: false,
        error,
        lastLogSeq,
      }));
    }
  }

  /** Fails queued attempts that have waited too long while no live worker takes their pipeline. */
  async #checkSomeoneTakes(queued: readonly Pending[], nowMs: number): Promise<void> {
    const workers = await this.#repository.readRunningWorkers(Date.now() - WORKER_LOOKBACK_MS);
    // Observed on every tick, so their movement is known by the time it matters.
    const alive = workers.filter((w) => this.#watch.observe(w.id, w.heartbeatAtMs, nowMs) <= this.#staleAfterFor(w));
    for (const pending of queued) {
      const waitedMs = nowMs - pending.dispatchedAtMs;
      if (waitedMs < this.#noWorkerTimeoutMs) continue;
      const pipeline = pending.attempt.pipeline.name;
      if (alive.some((w) => w.pipelines.includes(pipeline))) continue;
      const error = new TipsterError('TIPSTER_ERR_PIPELINE_NO_WORKERS', {
        task: pending.attempt.task.name,
        pipeline,
        waitedMs: Math.round(waitedMs),
      });
      await this.#giveUp(pending, { from: ['dispatched'], to: 'withdrawn', error: error.message }, (lastLogSeq) => ({
        ok: false,
        error,
        lastLogSeq,
      }));
    }
  }

  #staleAfterFor(worker: WorkerBeat): number {
    return Math.max(this.#staleAfterMs, 3 * worker.heartbeatIntervalMs);
  }

  /**
   * Moves the dispatch row to a final state; only if that succeeds (no result landed first) is the
   * attempt settled with `result`. Otherwise the next tick reads the result that won.
   */
  async #giveUp(
    pending: Pending,
    change: { from: readonly DispatchState[]; to: 'lost' | 'withdrawn'; error: string; workerId?: string },
    result: (lastLogSeq: number) => AttemptResult,
  ): Promise<void> {
    if (pending.busy || !this.#pending.has(pending.jobId)) return;
    pending.busy = true;
    try {
      const won = await this.#repository.giveUp(pending.jobId, { ...change, atMs: pending.attempt.now() });
      if (!won) return;
      // The queue entry is only hygiene now: the row decides.
      const queue = taskQueueName(pending.attempt.pipeline.name);
      void this.#boss?.then((boss) => boss.cancel(queue, pending.jobId)).catch(() => undefined);
      this.#settle(pending, result(await this.#lastLogSeq(pending)));
    } catch (error) {
      this.#logger.warn({ err: error, jobId: pending.jobId }, 'giving up a dispatched attempt failed; trying again');
    } finally {
      pending.busy = false;
    }
  }

  #lastLogSeq(pending: Pending): Promise<number> {
    const { runId, task, attempt } = pending.attempt;
    return this.#repository.lastLogSeq(runId, task.name, attempt);
  }

  #settle(pending: Pending, result: AttemptResult): void {
    if (!this.#pending.delete(pending.jobId)) return;
    pending.attempt.signal.removeEventListener('abort', pending.onAbort);
    pending.resolve(result);
  }

  #fail(pending: Pending, error: unknown): void {
    if (!this.#pending.delete(pending.jobId)) return;
    pending.attempt.signal.removeEventListener('abort', pending.onAbort);
    pending.reject(error);
  }
}

function lostError(attempt: TaskAttempt, reason: string): TipsterError {
  return new TipsterError('TIPSTER_ERR_PIPELINE_WORKER_LOST', { attempt: attempt.attempt, task: attempt.task.name, reason });
}

function positive(value: number, name: string): number {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new TipsterError('TIPSTER_ERR_PIPELINE_OPTION_INVALID', { detail: `${name} must be a finite number > 0, got ${value}` });
  }
  return value;
}
