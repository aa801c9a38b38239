import { groupBy } from '../core/group-by.js';
import { TipsterError } from '../core/errors.js';
import type { Store } from '../store/store.js';
import { pipelineRunSummary, taskRunRecord, type PipelineRunDetail } from './pipeline-run-record.js';

/** One run with its tasks (states, attempts, durations, errors, outputs) and their log lines. */
export async function getPipelineRun(store: Store, runId: string): Promise<PipelineRunDetail> {
  const run = await store.db.selectFrom('pipeline_runs').selectAll().where('id', '=', runId).executeTakeFirst();
  if (run === undefined) throw new TipsterError('TIPSTER_ERR_PIPELINE_RUN_NOT_FOUND', { runId });
  const [tasks, logs] = await Promise.all([
    store.db.selectFrom('task_runs').selectAll().where('run_id', '=', runId).orderBy('position').execute(),
    store.db
      .selectFrom('task_logs')
      .selectAll()
      .where('run_id', '=', runId)
      .orderBy('task')
      .orderBy('attempt')
      .orderBy('seq')
      .execute(),
  ]);
  const logsByTask = groupBy(logs, (l) => l.task);
  return { ...pipelineRunSummary(run), tasks: tasks.map((t) => taskRunRecord(t, logsByTask.get(t.task) ?? [])) };
}
