import { TipsterError } from '../core/errors.js';
import type { Store } from '../store/store.js';
import { pipelineRunSummary, type PipelineRunSummary } from './pipeline-run-record.js';

/** When a run counts as abandoned. */
export interface RecoverInterruptedRunsOptions {
  /** A queued or running run whose heartbeat is older than this is taken to have lost its process. */
  readonly staleAfterMs: number;
  readonly now: number;
  /**
   * Says for sure that a run's owner is gone (e.g. a process of this machine that no longer exists):
   * its runs are recovered at once, without waiting for the heartbeat to go stale.
   */
  readonly ownerIsDead?: (owner: string) => boolean;
}

const UNFINISHED = ['queued', 'running'] as const;

/**
 * Fails the runs whose process died (heartbeat stale): the run and its running tasks become failed
 * with the reason, its pending tasks skipped, and the tracked runs it had started (tagged
 * `pipeline_run_id`) failed. One transaction per run, so each is all-or-nothing.
 * Returns the runs it failed.
 */
export async function recoverInterruptedRuns(
  store: Store,
  options: RecoverInterruptedRunsOptions,
): Promise<PipelineRunSummary[]> {
  if (!(Number.isFinite(options.staleAfterMs) && options.staleAfterMs > 0)) {
    throw new TipsterError('TIPSTER_ERR_PIPELINE_OPTION_INVALID', {
      detail: `staleAfterMs must be a finite number > 0, got ${options.staleAfterMs}`,
    });
  }
  const { now } = options;
  const cutoffMs = now - options.staleAfterMs;
  const candidates = await store.db
    .selectFrom('pipeline_runs')
    .select(['id', 'owner', 'heartbeat_at_ms'])
    .where('status', 'in', UNFINISHED)
    .execute()
    .then((rows) => rows.filter((r) => r.heartbeat_at_ms < cutoffMs || (options.ownerIsDead?.(r.owner) ?? false)));

  const recovered: PipelineRunSummary[] = [];
  for (const candidate of candidates) {
    const reason = new TipsterError('TIPSTER_ERR_PIPELINE_RUN_INTERRUPTED', {
      runId: candidate.id,
      owner: candidate.owner,
      staleMs: now - candidate.heartbeat_at_ms,
    }).message;
    const row = await store.db.transaction().execute(async (trx) => {
      // The heartbeat is checked again under the row lock: the owner may have come back since the select.
      const failed = await trx
        .updateTable('pipeline_runs')
        .set({ status: 'failed', finished_at_ms: now, error: reason })
        .where('id', '=', candidate.id)
        .where('status', 'in', UNFINISHED)
        // A dead owner cannot come back; a merely silent one may have, so its heartbeat is checked again.
        .where('heartbeat_at_ms', '<', options.ownerIsDead?.(candidate.owner) ? Number.MAX_SAFE_INTEGER : cutoffMs)
        .executeTakeFirst();
      if (failed.numUpdatedRows === 0n) return undefined;
      const running = await trx
        .selectFrom('task_runs')
        .select(['task', 'started_at_ms'])
        .where('run_id', '=', candidate.id)
        .where('status', '=', 'running')
        .execute();
      for (const task of running) {
        await trx
          .updateTable('task_runs')
          .set({
            status: 'failed',
            finished_at_ms: now,
            duration_ms: task.started_at_ms === null ? null : now - task.started_at_ms,
            error: reason,
          })
          .where('run_id', '=', candidate.id)
          .where('task', '=', task.task)
          .execute();
      }
      await trx
        .updateTable('task_runs')
        .set({ status: 'skipped', error: reason })
        .where('run_id', '=', candidate.id)
        .where('status', '=', 'pending')
        .execute();
      // Tracked training runs the dead run had started (tagged with its id) cannot finish either.
      await trx
        .updateTable('runs')
        .set({ status: 'failed', end_time_ms: now })
        .where('status', '=', 'running')
        .where('id', 'in', (eb) =>
          eb.selectFrom('run_tags').select('run_id').where('key', '=', 'pipeline_run_id').where('value', '=', candidate.id),
        )
        .execute();
      return trx.selectFrom('pipeline_runs').selectAll().where('id', '=', candidate.id).executeTakeFirstOrThrow();
    });
    if (row !== undefined) recovered.push(pipelineRunSummary(row));
  }
  return recovered;
}
