import type { Pipeline, PipelineTask } from './define-pipeline.js';

/** One attempt of one task, as the coordinator hands it to an executor. */
export interface TaskAttempt {
  readonly runId: string;
  readonly pipeline: Pipeline;
  readonly task: PipelineTask;
  /** Attempts started for this task so far, this one included (1 on the first). */
  readonly attempt: number;
  /** The run's parameters exactly as stored (JSON text). */
  readonly paramsJson: string;
  /** What each direct upstream task returned, by task name (JSON text). */
  readonly upstreamJson: string;
  /** Fires when the run is taken away from the coordinator; the attempt should end promptly. */
  readonly signal: AbortSignal;
  /** The run's clock; executors that write here stamp log lines with it. */
  readonly now: () => number;
}

/**
 * How one attempt ended. `lastLogSeq` is the seq of the attempt's last stored log line (0 when none):
 * the coordinator numbers its own notes on the attempt after it, so lines never collide.
 * `lost` means the attempt was lost to infrastructure (its worker died or let go of it), not failed
 * by the task: the coordinator starts it again without using up the task's retries.
 */
export type AttemptResult =
  | { readonly ok: true; readonly outputJson: string; readonly lastLogSeq: number }
  | { readonly ok: false; readonly error: unknown; readonly lastLogSeq: number; readonly lost?: boolean };

/** Runs single task attempts, here or elsewhere; the coordinator keeps retries, backoff and the run's records. */
export interface TaskExecutor {
  /** `in-process` or `workers`: where attempts run, for logs and messages. */
  readonly kind: 'in-process' | 'workers';
  /** Runs one attempt and resolves with how it ended; rejects only when the executor itself fails. */
  runAttempt(attempt: TaskAttempt): Promise<AttemptResult>;
  /** Releases what the executor holds (queues, connections); it is unusable afterwards. */
  close(): Promise<void>;
}
