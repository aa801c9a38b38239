/**
 * The pg-boss queue a pipeline's task attempts travel on. One queue per pipeline: a worker listens
 * only to the pipelines its catalogue knows, so it never takes a task it cannot run (a fleet may mix
 * versions, or dedicate machines to one pipeline).
 */
export function taskQueueName(pipeline: string): string {
  return `tipster-pipeline-tasks.${pipeline}`;
}

/**
 * What a worker receives for one attempt (the pg-boss job's data; the job id names the dispatch).
 * Params and upstream outputs travel as JSON text, so a worker sees exactly the bytes the store holds.
 */
export interface PipelineTaskJob {
  readonly runId: string;
  readonly pipeline: string;
  readonly task: string;
  readonly attempt: number;
  readonly paramsJson: string;
  readonly upstreamJson: string;
  /** The task's timeout as the coordinator knows it (the worker applies its own definition's). */
  readonly timeoutMs: number | null;
}

/** Checks a job's data (it crossed a process boundary); returns the job or what is wrong with it. */
export function parsePipelineTaskJob(data: unknown): PipelineTaskJob | { readonly invalid: string } {
  if (data === null || typeof data !== 'object') return { invalid: 'the job data is not an object' };
  const d = data as Record<string, unknown>;
  for (const key of ['runId', 'pipeline', 'task', 'paramsJson', 'upstreamJson'] as const) {
    if (typeof d[key] !== 'string') return { invalid: `${key} is not a string` };
  }
  if (!Number.isInteger(d.attempt) || (d.attempt as number) < 1) return { invalid: 'attempt is not a whole number ≥ 1' };
  if (d.timeoutMs !== null && typeof d.timeoutMs !== 'number') return { invalid: 'timeoutMs is neither null nor a number' };
  return {
    runId: d.runId as string,
    pipeline: d.pipeline as string,
    task: d.task as string,
    attempt: d.attempt as number,
    paramsJson: d.paramsJson as string,
    upstreamJson: d.upstreamJson as string,
    timeoutMs: d.timeoutMs as number | null,
  };
}
