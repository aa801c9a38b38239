import { TipsterError } from '../core/errors.js';
import type { PipelineTask, TaskContext } from './define-pipeline.js';
import type { AttemptResult } from './task-executor.js';
import { TaskLogWriter, type TaskLogSink } from './task-log-writer.js';

/** What one attempt needs to run in this process, wherever its coordinator is. */
export interface LocalAttempt {
  readonly runId: string;
  readonly pipeline: string;
  readonly task: PipelineTask;
  readonly attempt: number;
  readonly paramsJson: string;
  readonly upstreamJson: string;
  /** Where its log lines go. */
  readonly logSink: TaskLogSink;
  readonly now: () => number;
  /** Fires when the attempt must stop (run taken away, attempt handed elsewhere, worker shutting down). */
  readonly signal: AbortSignal;
}

/**
 * Runs one attempt of a task in this process: builds its context from the JSON it was sent, bounds it
 * by the task's timeout, serialises its output and stores its log lines. The in-process executor and
 * `tipster worker` both run attempts through here, so a task behaves the same wherever it runs.
 * Rejects only when its log lines could not be stored.
 */
export async function runTaskAttempt(input: LocalAttempt): Promise<AttemptResult> {
  const { task } = input;
  const logs = new TaskLogWriter(input.logSink, { runId: input.runId, task: task.name, attempt: input.attempt }, input.now);
  const controller = new AbortController();
  const onAbort = () => controller.abort(input.signal.reason);
  if (input.signal.aborted) onAbort();
  else input.signal.addEventListener('abort', onAbort, { once: true });
  const context: TaskContext = Object.freeze({
    runId: input.runId,
    pipeline: input.pipeline,
    task: task.name,
    attempt: input.attempt,
    // Parsed afresh for each attempt: tasks cannot change what other tasks (or a retry) see.
    params: JSON.parse(input.paramsJson) as Record<string, unknown>,
    upstream: JSON.parse(input.upstreamJson) as Record<string, unknown>,
    log: logs.logger,
    signal: controller.signal,
  });
  const settled = await runBounded(task, context, controller);
  input.signal.removeEventListener('abort', onAbort);

  let result: { ok: true; outputJson: string } | { ok: false; error: unknown };
  if (settled.ok) {
    try {
      result = { ok: true, outputJson: JSON.stringify(settled.output ?? null) };
    } catch (cause) {
      result = { ok: false, error: new Error(`its output is not JSON-serialisable: ${messageOf(cause)}`) };
    }
  } else {
    result = settled;
  }
  await logs.close();
  return { ...result, lastLogSeq: logs.lastStoredSeq };
}

/** One attempt, bounded by the task's timeout; a timeout aborts the task's signal and fails the attempt. */
function runBounded(
  task: PipelineTask,
  context: TaskContext,
  controller: AbortController,
): Promise<{ ok: true; output: unknown } | { ok: false; error: unknown }> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    if (task.timeoutMs !== null) {
      timer = setTimeout(() => {
        const error = new TipsterError('TIPSTER_ERR_PIPELINE_TASK_TIMEOUT', {
          task: task.name,
          timeoutMs: task.timeoutMs!,
          attempt: context.attempt,
        });
        controller.abort(error);
        resolve({ ok: false, error });
      }, task.timeoutMs);
    }
    // An attempt taken away must not wait for a task that ignores its signal.
    const onAbort = () => resolve({ ok: false, error: controller.signal.reason });
    if (controller.signal.aborted) onAbort();
    else controller.signal.addEventListener('abort', onAbort, { once: true });
    Promise.resolve()
      .then(() => task.run(context))
      .then(
        (output) => resolve({ ok: true, output }),
        (error: unknown) => resolve({ ok: false, error }),
      )
      .finally(() => {
        clearTimeout(timer);
        controller.signal.removeEventListener('abort', onAbort);
      });
  });
}

/** The message of an error, or the thing thrown as text. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : String(error);
}
