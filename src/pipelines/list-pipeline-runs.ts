import { TipsterError } from '../core/errors.js';
import type { Store } from '../store/store.js';
import { pipelineRunSummary, type PipelineRunSummary } from './pipeline-run-record.js';
import { PIPELINE_RUN_STATUSES, isPipelineRunStatus, type PipelineRunStatus } from './pipeline-statuses.js';

/** Filters of the run history. */
export interface ListPipelineRunsOptions {
  readonly pipeline?: string;
  readonly status?: PipelineRunStatus;
  /** At most this many runs (1 … 1000). */
  readonly limit: number;
}

const MAX_LIMIT = 1000;

/** Run history, newest first, with durations. */
export async function listPipelineRuns(store: Store, options: ListPipelineRunsOptions): Promise<PipelineRunSummary[]> {
  if (!Number.isInteger(options.limit) || options.limit < 1 || options.limit > MAX_LIMIT) {
    throw new TipsterError('TIPSTER_ERR_PIPELINE_OPTION_INVALID', {
      detail: `limit must be a whole number from 1 to ${MAX_LIMIT}, got ${options.limit}`,
    });
  }
  if (options.status !== undefined && !isPipelineRunStatus(options.status)) {
    throw new TipsterError('TIPSTER_ERR_PIPELINE_OPTION_INVALID', {
      detail: `status must be one of ${PIPELINE_RUN_STATUSES.join(', ')}, got "${String(options.status)}"`,
    });
  }
  let query = store.db.selectFrom('pipeline_runs').selectAll();
  if (options.pipeline !== undefined) query = query.where('pipeline', '=', options.pipeline);
  if (options.status !== undefined) query = query.where('status', '=', options.status);
  // The id breaks ties between runs created in the same millisecond so pages are stable.
  const rows = await query.orderBy('created_at_ms', 'desc').orderBy('id', 'desc').limit(options.limit).execute();
  return rows.map(pipelineRunSummary);
}
