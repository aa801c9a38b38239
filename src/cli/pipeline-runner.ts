import { runPipeline } from '../pipelines/run-pipeline.js';
import type { PipelineRunner } from '../pipelines/scheduler/pipeline-scheduler.js';
import type { Store } from '../store/store.js';

/** How runs the CLI's scheduler starts are executed: the one place to choose an executor for them. */
export function cliPipelineRunner(store: Store): PipelineRunner {
  return (pipeline, options) => runPipeline(store, pipeline, options);
}
