import { runPipeline } from '../pipelines/run-pipeline.js';
import type { PipelineRunner } from '../pipelines/scheduler/pipeline-scheduler.js';
import type { TaskExecutor } from '../pipelines/task-executor.js';
import type { Store } from '../store/store.js';

/**
 * How runs the CLI's scheduler starts are executed: the one place to choose an executor for them.
 * One executor serves every run of the process; its owner closes it.
 */
export function cliPipelineRunner(store: Store, executor: TaskExecutor): PipelineRunner {
  return (pipeline, options) => runPipeline(store, pipeline, { ...options, executor });
}
