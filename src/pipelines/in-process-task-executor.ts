import type { Store } from '../store/store.js';
import { PipelineRunRepository } from './pipeline-run-repository.js';
import { runTaskAttempt } from './run-task-attempt.js';
import type { AttemptResult, TaskAttempt, TaskExecutor } from './task-executor.js';

/** Runs every attempt in this process, on this event loop: the embedded default. */
export class InProcessTaskExecutor implements TaskExecutor {
  readonly kind = 'in-process' as const;
  readonly #repository: PipelineRunRepository;

  constructor(store: Store) {
    this.#repository = new PipelineRunRepository(store);
  }

  /** Runs the attempt here; its log lines go straight to the store. */
  runAttempt(attempt: TaskAttempt): Promise<AttemptResult> {
    return runTaskAttempt({
      runId: attempt.runId,
      pipeline: attempt.pipeline.name,
      task: attempt.task,
      attempt: attempt.attempt,
      paramsJson: attempt.paramsJson,
      upstreamJson: attempt.upstreamJson,
      logSink: this.#repository,
      now: attempt.now,
      signal: attempt.signal,
    });
  }

  /** Holds nothing. */
  async close(): Promise<void> {}
}
