import type { Kysely, Transaction } from 'kysely';
import { TipsterError } from '../core/errors.js';
import type { Database } from '../store/database-schema.js';
import type { Store } from '../store/store.js';
import { isUniqueViolation } from '../store/unique-violation.js';
import type { TaskLogLevel } from './pipeline-statuses.js';

/** Thrown inside a transaction to roll it back when the run is no longer `running` (recovered by another process). */
class RunNoLongerOurs extends Error {}

/**
 * Every write the runner makes, each one small transaction so a crash between two of them leaves a
 * consistent run. Each task write first touches the run's heartbeat under `status = 'running'`: that
 * both proves the process is alive and tells it when recovery has already failed the run (the write
 * is then rolled back and the method returns false).
 */
export class PipelineRunRepository {
  readonly #db: Kysely<Database>;

  constructor(store: Store) {
    this.#db = store.db;
  }

  /**
   * Records a queued run and a pending row for each task, atomically. A pipeline has at most one
   * queued or running run (a unique index decides, across processes): a second one is refused with
   * TIPSTER_ERR_PIPELINE_ALREADY_RUNNING naming the active run.
   */
  async createRun(run: {
    id: string;
    pipeline: string;
    params: string;
    trigger: string;
    owner: string;
    atMs: number;
    tasks: readonly string[];
  }): Promise<void> {
    // The active run may finish between the refused insert and the look-up: then the way is free, try once more.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#db.transaction().execute(async (trx) => {
          await trx
            .insertInto('pipeline_runs')
            .values({
              id: run.id,
              pipeline: run.pipeline,
              status: 'queued',
              params: run.params,
              trigger: run.trigger,
              created_at_ms: run.atMs,
              started_at_ms: null,
              finished_at_ms: null,
              heartbeat_at_ms: run.atMs,
              owner: run.owner,
              error: null,
            })
            .execute();
          await trx
            .insertInto('task_runs')
            .values(
              run.tasks.map((task, position) => ({
                run_id: run.id,
                task,
                position,
                status: 'pending',
                attempt: 0,
                started_at_ms: null,
                finished_at_ms: null,
                duration_ms: null,
                error: null,
                output: null,
              })),
            )
            .execute();
        });
        return;
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        const active = await this.#db
          .selectFrom('pipeline_runs')
          .select(['id', 'status'])
          .where('pipeline', '=', run.pipeline)
          .where('status', 'in', ['queued', 'running'])
          .executeTakeFirst();
        if (active !== undefined) {
          throw new TipsterError(
            'TIPSTER_ERR_PIPELINE_ALREADY_RUNNING',
            { pipeline: run.pipeline, runId: active.id, status: active.status },
            { cause: error },
          );
        }
        if (attempt >= 2) throw error;
      }
    }
  }

  /** queued → running. */
  async startRun(runId: string, atMs: number): Promise<boolean> {
    const result = await this.#db
      .updateTable('pipeline_runs')
      .set({ status: 'running', started_at_ms: atMs, heartbeat_at_ms: atMs })
      .where('id', '=', runId)
      .where('status', '=', 'queued')
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Proves the owning process is alive; false once the run is no longer running. */
  async heartbeat(runId: string, atMs: number): Promise<boolean> {
    const result = await this.#db
      .updateTable('pipeline_runs')
      .set({ heartbeat_at_ms: atMs })
      .where('id', '=', runId)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** pending/running → running with the next attempt; the first attempt sets the task's start time. */
  async startAttempt(runId: string, task: string, attempt: number, atMs: number): Promise<boolean> {
    return this.#whileRunning(runId, atMs, async (trx) => {
      await trx
        .updateTable('task_runs')
        .set(attempt === 1 ? { status: 'running', attempt, started_at_ms: atMs } : { status: 'running', attempt })
        .where('run_id', '=', runId)
        .where('task', '=', task)
        .execute();
    });
  }

  /** Keeps the error of a failed attempt that will be retried (the task stays running through the backoff). */
  async recordFailedAttempt(runId: string, task: string, error: string, atMs: number): Promise<boolean> {
    return this.#whileRunning(runId, atMs, async (trx) => {
      await trx.updateTable('task_runs').set({ error }).where('run_id', '=', runId).where('task', '=', task).execute();
    });
  }

  /** running → succeeded with its output (JSON text). */
  async succeedTask(runId: string, task: string, atMs: number, durationMs: number, output: string): Promise<boolean> {
    return this.#whileRunning(runId, atMs, async (trx) => {
      await trx
        .updateTable('task_runs')
        .set({ status: 'succeeded', finished_at_ms: atMs, duration_ms: durationMs, error: null, output })
        .where('run_id', '=', runId)
        .where('task', '=', task)
        .execute();
    });
  }

  /** running → failed, and every task downstream of it → upstream_failed, in one transaction. */
  async failTask(
    runId: string,
    task: string,
    atMs: number,
    durationMs: number,
    error: string,
    downstream: readonly string[],
  ): Promise<boolean> {
    return this.#whileRunning(runId, atMs, async (trx) => {
      await trx
        .updateTable('task_runs')
        .set({ status: 'failed', finished_at_ms: atMs, duration_ms: durationMs, error })
        .where('run_id', '=', runId)
        .where('task', '=', task)
        .execute();
      if (downstream.length === 0) return;
      await trx
        .updateTable('task_runs')
        .set({ status: 'upstream_failed', error: `upstream task "${task}" failed` })
        .where('run_id', '=', runId)
        .where('task', 'in', downstream)
        .where('status', '=', 'pending')
        .execute();
    });
  }

  /** Appends one log line of a task attempt. */
  async appendLog(line: {
    runId: string;
    task: string;
    attempt: number;
    seq: number;
    atMs: number;
    level: TaskLogLevel;
    message: string;
  }): Promise<void> {
    await this.#db
      .insertInto('task_logs')
      .values({
        run_id: line.runId,
        task: line.task,
        attempt: line.attempt,
        seq: line.seq,
        at_ms: line.atMs,
        level: line.level,
        message: line.message,
      })
      .execute();
  }

  /** running → succeeded or failed; false when recovery got there first. */
  async finishRun(runId: string, atMs: number, error: string | null): Promise<boolean> {
    const result = await this.#db
      .updateTable('pipeline_runs')
      .set({ status: error === null ? 'succeeded' : 'failed', finished_at_ms: atMs, heartbeat_at_ms: atMs, error })
      .where('id', '=', runId)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async #whileRunning(runId: string, atMs: number, write: (trx: Transaction<Database>) => Promise<void>): Promise<boolean> {
    try {
      await this.#db.transaction().execute(async (trx) => {
        // Taking the run row first (same order as recovery) means the two can never deadlock.
        const touched = await trx
          .updateTable('pipeline_runs')
          .set({ heartbeat_at_ms: atMs })
          .where('id', '=', runId)
          .where('status', '=', 'running')
          .executeTakeFirst();
        if (touched.numUpdatedRows === 0n) throw new RunNoLongerOurs();
        await write(trx);
      });
      return true;
    } catch (error) {
      if (error instanceof RunNoLongerOurs) return false;
      throw error;
    }
  }
}
