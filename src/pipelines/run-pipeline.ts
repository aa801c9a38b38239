import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { TipsterError } from '../core/errors.js';
import type { Store } from '../store/store.js';
import type { Pipeline, PipelineTask, TaskContext } from './define-pipeline.js';
import { getPipelineRun } from './get-pipeline-run.js';
import type { PipelineRunDetail } from './pipeline-run-record.js';
import { PipelineRunRepository } from './pipeline-run-repository.js';
import { TaskLogWriter } from './task-log-writer.js';

/** How to run a pipeline once. */
export interface RunPipelineOptions {
  /** JSON-serialisable parameters every task sees (default `{}`). */
  readonly params?: Readonly<Record<string, unknown>>;
  /** Who asked: `manual`, `schedule`, … */
  readonly trigger: string;
  /** Clock for every stored time (default `Date.now`). */
  readonly now?: () => number;
  /** Names this process in the run record (default `host:pid`). */
  readonly owner?: string;
  /** How often the run proves its process is alive (default 5000 ms); recovery waits several of these. */
  readonly heartbeatIntervalMs?: number;
  /** Waits out a retry backoff; replaceable so tests can check the delays without waiting. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

type TaskOutcome = 'succeeded' | 'failed' | 'lost';
type AttemptResult = { ok: true; output: unknown } | { ok: false; error: unknown };

const DEFAULT_HEARTBEAT_INTERVAL_MS = 5000;

/**
 * Runs a pipeline in this process and returns the finished run. Ready tasks run concurrently; a failed
 * task is retried with exponential backoff, and when it finally fails every task downstream of it is
 * marked upstream_failed while independent branches carry on. The run fails if any task failed.
 */
export async function runPipeline(store: Store, pipeline: Pipeline, options: RunPipelineOptions): Promise<PipelineRunDetail> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? abortableSleep;
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS;
  if (!(Number.isFinite(heartbeatIntervalMs) && heartbeatIntervalMs > 0)) {
    throw new TipsterError('TIPSTER_ERR_PIPELINE_OPTION_INVALID', {
      detail: `heartbeatIntervalMs must be a finite number > 0, got ${heartbeatIntervalMs}`,
    });
  }
  if (typeof options.trigger !== 'string' || options.trigger.trim() === '') {
    throw new TipsterError('TIPSTER_ERR_PIPELINE_OPTION_INVALID', { detail: 'trigger must be a non-empty string' });
  }
  const paramsJson = serialiseParams(options.params ?? {});
  const repository = new PipelineRunRepository(store);
  const runId = randomUUID();
  await repository.createRun({
    id: runId,
    pipeline: pipeline.name,
    params: paramsJson,
    trigger: options.trigger,
    owner: options.owner ?? `${os.hostname()}:${process.pid}`,
    atMs: now(),
    tasks: pipeline.tasks.map((t) => t.name),
  });
  if (!(await repository.startRun(runId, now()))) return getPipelineRun(store, runId);

  // Fired when the run stops being ours (recovered elsewhere) or the runner itself fails: tasks stop.
  const runAbort = new AbortController();
  const heartbeat = setInterval(() => {
    repository.heartbeat(runId, now()).then(
      (alive) => {
        if (!alive) runAbort.abort();
      },
      // A missed beat is retried at the next tick; a store that stays down fails the next task write.
      () => undefined,
    );
  }, heartbeatIntervalMs);
  heartbeat.unref();

  const outputs = new Map<string, unknown>();
  const executeTask = (task: PipelineTask) =>
    runTask({ repository, runId, pipeline, task, paramsJson, outputs, now, sleep, runSignal: runAbort.signal });

  try {
    const firstFailure = await schedule(pipeline, executeTask, () => runAbort.signal.aborted);
    if (!runAbort.signal.aborted) {
      const error = firstFailure === null ? null : `task "${firstFailure.task}" failed: ${firstFailure.error}`;
      await repository.finishRun(runId, now(), error);
    }
  } catch (error) {
    runAbort.abort();
    await repository.finishRun(runId, now(), `the runner failed: ${messageOf(error)}`).catch(() => undefined);
    throw error;
  } finally {
    clearInterval(heartbeat);
  }
  return getPipelineRun(store, runId);
}

/**
 * Starts every task whose dependencies all succeeded as soon as the last of them does. Resolves when
 * nothing is in flight and nothing more can start, with the first task to fail (if any).
 */
function schedule(
  pipeline: Pipeline,
  executeTask: (task: PipelineTask) => Promise<{ outcome: TaskOutcome; error: string | null }>,
  stopped: () => boolean,
): Promise<{ task: string; error: string } | null> {
  const outcomes = new Map<string, TaskOutcome | 'upstream_failed'>();
  const started = new Set<string>();
  let inFlight = 0;
  let firstFailure: { task: string; error: string } | null = null;
  return new Promise((resolve, reject) => {
    const pump = () => {
      if (!stopped()) {
        for (const task of pipeline.tasks) {
          if (started.has(task.name) || outcomes.has(task.name)) continue;
          if (!task.dependsOn.every((d) => outcomes.get(d) === 'succeeded')) continue;
          started.add(task.name);
          inFlight += 1;
          executeTask(task).then(({ outcome, error }) => {
            inFlight -= 1;
            outcomes.set(task.name, outcome);
            if (outcome === 'failed') {
              firstFailure ??= { task: task.name, error: error ?? 'unknown error' };
              for (const name of downstreamOf(pipeline, task)) outcomes.set(name, 'upstream_failed');
            }
            pump();
          }, reject);
        }
      }
      if (inFlight === 0) resolve(firstFailure);
    };
    pump();
  });
}

/** Every task that depends on `task`, directly or through others. */
function downstreamOf(pipeline: Pipeline, task: PipelineTask): string[] {
  const found = new Set<string>();
  const stack = [...task.dependents];
  while (stack.length > 0) {
    const name = stack.pop()!;
    if (found.has(name)) continue;
    found.add(name);
    stack.push(...pipeline.taskByName.get(name)!.dependents);
  }
  return [...found];
}

/** Runs one task through all its attempts and records the outcome. */
async function runTask(ctx: {
  repository: PipelineRunRepository;
  runId: string;
  pipeline: Pipeline;
  task: PipelineTask;
  paramsJson: string;
  outputs: Map<string, unknown>;
  now: () => number;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  runSignal: AbortSignal;
}): Promise<{ outcome: TaskOutcome; error: string | null }> {
  const { repository, runId, task, now } = ctx;
  const lost = { outcome: 'lost', error: null } as const;
  const upstream: Record<string, unknown> = {};
  for (const name of task.dependsOn) upstream[name] = ctx.outputs.get(name);
  let firstStartMs = 0;
  for (let attempt = 1; ; attempt++) {
    const startMs = now();
    if (attempt === 1) firstStartMs = startMs;
    if (!(await repository.startAttempt(runId, task.name, attempt, startMs))) return lost;

    const logs = new TaskLogWriter(repository, { runId, task: task.name, attempt }, now);
    const controller = new AbortController();
    const onRunAbort = () => controller.abort(ctx.runSignal.reason);
    ctx.runSignal.addEventListener('abort', onRunAbort, { once: true });
    const context: TaskContext = Object.freeze({
      runId,
      pipeline: ctx.pipeline.name,
      task: task.name,
      attempt,
      // Each task gets its own JSON copy, exactly what a worker in another process would receive.
      params: JSON.parse(ctx.paramsJson) as Record<string, unknown>,
      upstream: structuredClone(upstream),
      log: logs.logger,
      signal: controller.signal,
    });
    const result = await runAttempt(task, context, controller);
    ctx.runSignal.removeEventListener('abort', onRunAbort);

    let outputJson: string | null = null;
    let error: unknown = result.ok ? undefined : result.error;
    if (result.ok) {
      try {
        outputJson = JSON.stringify(result.output ?? null);
      } catch (cause) {
        error = new Error(`its output is not JSON-serialisable: ${messageOf(cause)}`);
      }
    }
    const willRetry = error !== undefined && attempt <= task.retries && !ctx.runSignal.aborted;
    const backoffMs = task.retryBackoffMs * 2 ** (attempt - 1);
    if (error !== undefined) {
      logs.logger.error(`attempt ${attempt} failed: ${messageOf(error)}`);
      if (willRetry) logs.logger.warn(`retrying in ${backoffMs} ms`);
    }
    await logs.close();
    if (ctx.runSignal.aborted) return lost;

    const endMs = now();
    if (outputJson !== null) {
      if (!(await repository.succeedTask(runId, task.name, endMs, endMs - firstStartMs, outputJson))) return lost;
      ctx.outputs.set(task.name, JSON.parse(outputJson) as unknown);
      return { outcome: 'succeeded', error: null };
    }
    const message = messageOf(error);
    if (!willRetry) {
      const downstream = downstreamOf(ctx.pipeline, task);
      if (!(await repository.failTask(runId, task.name, endMs, endMs - firstStartMs, message, downstream))) return lost;
      return { outcome: 'failed', error: message };
    }
    if (!(await repository.recordFailedAttempt(runId, task.name, message, endMs))) return lost;
    try {
      await ctx.sleep(backoffMs, ctx.runSignal);
    } catch {
      return lost;
    }
    if (ctx.runSignal.aborted) return lost;
  }
}

/** One attempt, bounded by the task's timeout; a timeout aborts the task's signal and fails the attempt. */
function runAttempt(task: PipelineTask, context: TaskContext, controller: AbortController): Promise<AttemptResult> {
  return new Promise<AttemptResult>((resolve) => {
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
    // A run taken away mid-attempt must not wait for a task that ignores its signal.
    const onAbort = () => resolve({ ok: false, error: controller.signal.reason });
    controller.signal.addEventListener('abort', onAbort, { once: true });
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

function serialiseParams(params: Readonly<Record<string, unknown>>): string {
  if (params === null || typeof params !== 'object' || Array.isArray(params)) {
    throw new TipsterError('TIPSTER_ERR_PIPELINE_OPTION_INVALID', { detail: 'params must be a JSON object' });
  }
  try {
    return JSON.stringify(params);
  } catch (error) {
    throw new TipsterError('TIPSTER_ERR_PIPELINE_OPTION_INVALID', {
      detail: `params must be JSON-serialisable: ${messageOf(error)}`,
    });
  }
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : String(error);
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
