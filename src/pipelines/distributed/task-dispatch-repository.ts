import { sql, type Kysely } from 'kysely';
import type { Database } from '../../store/database-schema.js';
import type { Store } from '../../store/store.js';
import type { TaskLogLineRow } from '../task-log-writer.js';
import type { DispatchState } from './dispatch-states.js';

/** A dispatched attempt as the coordinator polls it, with what is known of the worker that claimed it. */
export interface DispatchView {
  readonly jobId: string;
  readonly state: DispatchState;
  readonly workerId: string | null;
  readonly output: string | null;
  readonly error: string | null;
  readonly lastLogSeq: number | null;
  /** Of the claiming worker; null while unclaimed (or if its row is gone). */
  readonly worker: WorkerBeat | null;
}

/** A worker's liveness as stored. */
export interface WorkerBeat {
  readonly id: string;
  readonly name: string;
  /** Pipelines it takes tasks of. */
  readonly pipelines: readonly string[];
  readonly heartbeatAtMs: number;
  readonly heartbeatIntervalMs: number;
  readonly stoppedAtMs: number | null;
}

/** How a worker's attempt ended, as it records it. */
export type DispatchResult =
  | { readonly ok: true; readonly outputJson: string; readonly lastLogSeq: number }
  | { readonly ok: false; readonly error: string; readonly lastLogSeq: number };

/**
 * Every read and write of distributed execution. The dispatch row is the fence: a worker's log lines
 * and result are stored only while the row says that worker runs the attempt, and the coordinator's
 * giving-up is a compare-and-set on the same row, so of two processes racing, exactly one wins.
 * PostgreSQL only (workers need it): the fenced log insert takes a row lock.
 */
export class TaskDispatchRepository {
  readonly #db: Kysely<Database>;

  constructor(store: Store) {
    this.#db = store.db;
  }

  // ---- coordinator side ----

  /** Records an attempt about to be queued. */
  async createDispatch(dispatch: { jobId: string; runId: string; task: string; attempt: number; atMs: number }): Promise<void> {
    await this.#db
      .insertInto('pipeline_task_dispatches')
      .values({
        job_id: dispatch.jobId,
        run_id: dispatch.runId,
        task: dispatch.task,
        attempt: dispatch.attempt,
        state: 'dispatched',
        worker_id: null,
        dispatched_at_ms: dispatch.atMs,
        claimed_at_ms: null,
        finished_at_ms: null,
        output: null,
        error: null,
        last_log_seq: null,
      })
      .execute();
  }

  /** The current state of the given attempts, with their workers' heartbeats. */
  async readDispatches(jobIds: readonly string[]): Promise<DispatchView[]> {
    if (jobIds.length === 0) return [];
    const rows = await this.#db
      .selectFrom('pipeline_task_dispatches as d')
      .leftJoin('pipeline_workers as w', 'w.id', 'd.worker_id')
      .select([
        'd.job_id',
        'd.state',
        'd.worker_id',
        'd.output',
        'd.error',
        'd.last_log_seq',
        'w.id as w_id',
        'w.name as w_name',
        'w.pipelines as w_pipelines',
        'w.heartbeat_at_ms as w_heartbeat_at_ms',
        'w.heartbeat_interval_ms as w_heartbeat_interval_ms',
        'w.stopped_at_ms as w_stopped_at_ms',
      ])
      .where('d.job_id', 'in', jobIds)
      .execute();
    return rows.map((r) => ({
      jobId: r.job_id,
      state: r.state as DispatchState,
      workerId: r.worker_id,
      output: r.output,
      error: r.error,
      lastLogSeq: r.last_log_seq,
      worker:
        r.w_id === null
          ? null
          : {
              id: r.w_id,
              name: r.w_name!,
              pipelines: parsePipelines(r.w_pipelines!),
              heartbeatAtMs: r.w_heartbeat_at_ms!,
              heartbeatIntervalMs: r.w_heartbeat_interval_ms!,
              stoppedAtMs: r.w_stopped_at_ms,
            },
    }));
  }

  /** Workers that have not shut down cleanly and last beat at or after `sinceMs` (by their own clocks). */
  async readRunningWorkers(sinceMs: number): Promise<WorkerBeat[]> {
    const rows = await this.#db
      .selectFrom('pipeline_workers')
      .select(['id', 'name', 'pipelines', 'heartbeat_at_ms', 'heartbeat_interval_ms', 'stopped_at_ms'])
      .where('stopped_at_ms', 'is', null)
      .where('heartbeat_at_ms', '>=', sinceMs)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      pipelines: parsePipelines(r.pipelines),
      heartbeatAtMs: r.heartbeat_at_ms,
      heartbeatIntervalMs: r.heartbeat_interval_ms,
      stoppedAtMs: r.stopped_at_ms,
    }));
  }

  /**
   * Gives an unfinished attempt up: moves it from one of `from` to `to` with the reason. With `workerId`,
   * only if that worker still holds it. False when the attempt had already moved on (a result landed).
   */
  async giveUp(
    jobId: string,
    change: { from: readonly DispatchState[]; to: 'lost' | 'withdrawn'; error: string; atMs: number; workerId?: string },
  ): Promise<boolean> {
    let query = this.#db
      .updateTable('pipeline_task_dispatches')
      .set({ state: change.to, error: change.error, finished_at_ms: change.atMs })
      .where('job_id', '=', jobId)
      .where('state', 'in', change.from);
    if (change.workerId !== undefined) query = query.where('worker_id', '=', change.workerId);
    const result = await query.executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** The seq of the last log line stored for an attempt (0 when none). */
  async lastLogSeq(runId: string, task: string, attempt: number): Promise<number> {
    const row = await this.#db
      .selectFrom('task_logs')
      .select((eb) => eb.fn.max('seq').as('last'))
      .where('run_id', '=', runId)
      .where('task', '=', task)
      .where('attempt', '=', attempt)
      .executeTakeFirst();
    return row?.last === null || row?.last === undefined ? 0 : Number(row.last);
  }

  /** Wakes whoever LISTENs on `channel` (a shortcut only: listeners poll too). */
  async notify(channel: string, payload: string): Promise<void> {
    await sql`select pg_notify(${channel}, ${payload})`.execute(this.#db);
  }

  // ---- worker side ----

  /** Announces a starting worker. */
  async registerWorker(worker: {
    id: string;
    name: string;
    host: string;
    pid: number;
    concurrency: number;
    pipelines: readonly string[];
    heartbeatIntervalMs: number;
    atMs: number;
  }): Promise<void> {
    await this.#db
      .insertInto('pipeline_workers')
      .values({
        id: worker.id,
        name: worker.name,
        host: worker.host,
        pid: worker.pid,
        concurrency: worker.concurrency,
        pipelines: JSON.stringify(worker.pipelines),
        heartbeat_interval_ms: worker.heartbeatIntervalMs,
        started_at_ms: worker.atMs,
        heartbeat_at_ms: worker.atMs,
        stopped_at_ms: null,
      })
      .execute();
  }

  /** Marks a worker that shut down cleanly. */
  async markWorkerStopped(workerId: string, atMs: number): Promise<void> {
    await this.#db.updateTable('pipeline_workers').set({ stopped_at_ms: atMs }).where('id', '=', workerId).execute();
  }

  /** Forgets workers silent since before `beforeMs` (by their own clocks); their dispatches keep their ids. */
  async pruneWorkers(beforeMs: number): Promise<number> {
    const result = await this.#db.deleteFrom('pipeline_workers').where('heartbeat_at_ms', '<', beforeMs).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Takes a queued attempt for this worker, if it is still wanted: still queued, and its run still running. */
  async claim(jobId: string, workerId: string, atMs: number): Promise<boolean> {
    const result = await this.#db
      .updateTable('pipeline_task_dispatches')
      .set({ state: 'running', worker_id: workerId, claimed_at_ms: atMs })
      .where('job_id', '=', jobId)
      .where('state', '=', 'dispatched')
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('pipeline_runs')
            .select(sql.lit(1).as('one'))
            .whereRef('pipeline_runs.id', '=', 'pipeline_task_dispatches.run_id')
            .where('pipeline_runs.status', '=', 'running'),
        ),
      )
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /**
   * Stores one log line of an attempt this worker holds; false (and nothing stored) once it does not.
   * The dispatch row is locked in share mode, so a coordinator giving the attempt up waits for a line
   * being written, and a line written after that sees the attempt gone.
   */
  async appendLogFenced(jobId: string, workerId: string, line: TaskLogLineRow): Promise<boolean> {
    const result = await this.#db
      .insertInto('task_logs')
      .columns(['run_id', 'task', 'attempt', 'seq', 'at_ms', 'level', 'message'])
      .expression((eb) =>
        eb
          .selectFrom('pipeline_task_dispatches')
          .select([
            'run_id',
            'task',
            'attempt',
            sql<number>`cast(${line.seq} as integer)`.as('seq'),
            sql<number>`cast(${line.atMs} as bigint)`.as('at_ms'),
            sql<string>`cast(${line.level} as text)`.as('level'),
            sql<string>`cast(${line.message} as text)`.as('message'),
          ])
          .where('job_id', '=', jobId)
          .where('worker_id', '=', workerId)
          .where('state', '=', 'running')
          .forShare(),
      )
      .executeTakeFirst();
    return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
  }

  /** Records the result of an attempt this worker holds; false when it no longer does (the result is discarded). */
  async finish(jobId: string, workerId: string, result: DispatchResult, atMs: number): Promise<boolean> {
    const update = await this.#db
      .updateTable('pipeline_task_dispatches')
      .set(
        result.ok
          ? { state: 'succeeded', output: result.outputJson, error: null, last_log_seq: result.lastLogSeq, finished_at_ms: atMs }
          : { state: 'failed', output: null, error: result.error, last_log_seq: result.lastLogSeq, finished_at_ms: atMs },
      )
      .where('job_id', '=', jobId)
      .where('worker_id', '=', workerId)
      .where('state', '=', 'running')
      .executeTakeFirst();
    return update.numUpdatedRows > 0n;
  }

  /** Lets go of an attempt this worker holds (shutting down, or it could not record it), so it runs elsewhere. */
  async release(jobId: string, workerId: string, reason: string, atMs: number): Promise<boolean> {
    return this.giveUp(jobId, { from: ['running'], to: 'lost', error: reason, atMs, workerId });
  }

  /** The attempts this worker holds, with the status of their runs. */
  async heldBy(workerId: string): Promise<{ jobId: string; runStatus: string }[]> {
    const rows = await this.#db
      .selectFrom('pipeline_task_dispatches as d')
      .innerJoin('pipeline_runs as r', 'r.id', 'd.run_id')
      .select(['d.job_id', 'r.status'])
      .where('d.worker_id', '=', workerId)
      .where('d.state', '=', 'running')
      .execute();
    return rows.map((r) => ({ jobId: r.job_id, runStatus: r.status }));
  }
}

function parsePipelines(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}
