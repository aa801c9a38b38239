import os from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Pipeline } from '../pipelines/define-pipeline.js';
import { getPipelineRun } from '../pipelines/get-pipeline-run.js';
import { listPipelineRuns } from '../pipelines/list-pipeline-runs.js';
import type { PipelineRunDetail } from '../pipelines/pipeline-run-record.js';
import { runPipeline, type RunPipelineOptions } from '../pipelines/run-pipeline.js';
import type { Store } from '../store/store.js';
import { println, type CliContext } from './cli-context.js';

const POLL_MS = 250;

/**
 * Runs a pipeline and prints a line as each task starts and ends (with its duration and, on
 * failure, its error). The run's state is read back from the store, so what is printed is what the
 * history records, whichever process executes the tasks.
 */
export async function runPipelineWithProgress(
  context: CliContext,
  store: Store,
  pipeline: Pipeline,
  options: Pick<RunPipelineOptions, 'params' | 'trigger'> & Partial<RunPipelineOptions>,
  out = context.stdout,
): Promise<PipelineRunDetail> {
  // A unique owner lets this process find its own run among concurrent ones while it is running.
  const owner = options.owner ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const seen = new Map<string, string>();
  const report = (run: PipelineRunDetail) => {
    for (const task of run.tasks) {
      if (seen.get(task.task) === task.status) continue;
      seen.set(task.task, task.status);
      if (task.status === 'pending') continue;
      if (task.status === 'running') {
        println(out, `  … ${task.task}${task.attempt > 1 ? ` (attempt ${task.attempt})` : ''}`);
      } else {
        const mark = task.status === 'succeeded' ? '✓' : task.status === 'skipped' ? '-' : '✗';
        const duration = task.durationMs === null ? '' : ` ${(task.durationMs / 1000).toFixed(1)} s`;
        println(out, `  ${mark} ${task.task}${duration}${task.status === 'succeeded' ? '' : `: ${task.status}${task.error ? ` (${task.error})` : ''}`}`);
      }
    }
  };
  let runId: string | undefined;
  let polling = Promise.resolve();
  const timer = setInterval(() => {
    polling = polling.then(async () => {
      runId ??= (await listPipelineRuns(store, { pipeline: pipeline.name, limit: 5 })).find((r) => r.owner === owner)?.id;
      if (runId) report(await getPipelineRun(store, runId));
    }).catch(() => undefined);
  }, POLL_MS);
  try {
    const run = await runPipeline(store, pipeline, { ...options, owner });
    clearInterval(timer);
    await polling;
    report(run);
    println(out, `${pipeline.name} run ${run.id}: ${run.status} in ${((run.durationMs ?? 0) / 1000).toFixed(1)} s`);
    return run;
  } finally {
    clearInterval(timer);
  }
}
