import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { abortableSleep } from '../core/abortable-sleep.js';
import { TipsterError } from '../core/errors.js';
import type { Store } from '../store/store.js';
import type { Pipeline, PipelineTask } from './define-pipeline.js';
import { getPipelineRun } from './get-pipeline-run.js';
import { InProcessTaskExecutor } from './in-process-task-executor.js';
import type { PipelineRunDetail } from './pipeline-run-record.js';
import { PipelineRunRepository } from './pipeline-run-repository.js';
import { messageOf } from './run-task-attempt.js';
import type { TaskExecutor } from './task-executor.js';
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
  /** Where attempts run (default: in this process). The caller owns it and closes it. */
  readonly executor?: TaskExecutor;
}

type TaskOutcome = 'succeeded' | 'failed' | 'lost';

const DEFAULT_HEARTBEAT_INTERVAL_MS = 5000;
/**
 * Attempts of one task that may be lost to infrastructure (a worker that died) before losses count as
 * failures: a task that keeps killing its worker (out of memory, say) must not loop forever.
 */
const MAX_LOST_ATTEMPTS = 3;

/**
 * Coordinates one run of a pipeline from this process and returns the finished run. Ready tasks run
 * concurrently, each attempt through the executor (here by default, or on `tipster worker` processes);
 * a failed task is retried with exponential backoff, and when it finally fails every task downstream
 * of it is marked upstream_failed while independent branches carry on. The run fails if any task failed.
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
  const executor = options.executor ?? new InProcessTaskExecutor(store);
  const executeTask = (task: PipelineTask) =>
    runTask({ repository, executor, runId, pipeline, task, paramsJson, outputs, now, sleep, runSignal: runAbort.signal });

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
  executor: TaskExecutor;
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
  const upstreamJson = JSON.stringify(upstream);
  let firstStartMs = 0;
  let failures = 0;
  let losses = 0;
  for (let attempt = 1; ; attempt++) {
    const startMs = now();
    if (attempt === 1) firstStartMs = startMs;
    if (!(await repository.startAttempt(runId, task.name, attempt, startMs))) return lost;

    const result = await ctx.executor.runAttempt({
      runId,
      pipeline: ctx.pipeline,
      task,
      attempt,
      paramsJson: ctx.paramsJson,
      upstreamJson,
      signal: ctx.runSignal,
      now,
    });

    // A run taken away (recovered by another process) is no longer ours to write to.
    if (ctx.runSignal.aborted) return lost;
    // The coordinator's own notes on the attempt follow the lines the attempt stored.
    const notes = new TaskLogWriter(repository, { runId, task: task.name, attempt }, now, { firstSeq: result.lastLogSeq + 1 });
    const relaunch = !result.ok && result.lost === true && losses < MAX_LOST_ATTEMPTS;
    let willRetry = false;
    let backoffMs = 0;
    if (relaunch) {
      losses += 1;
      notes.logger.warn(`attempt ${attempt} lost: ${messageOf(result.error)}; starting it again (a lost attempt does not use up a retry)`);
    } else if (!result.ok) {
      failures += 1;
      willRetry = failures <= task.retries;
      backoffMs = task.retryBackoffMs * 2 ** (failures - 1);
      notes.logger.error(`attempt ${attempt} failed: ${messageOf(result.error)}`);
      if (willRetry) notes.logger.warn(`retrying in ${backoffMs} ms`);
    }
    await notes.close();
    if (ctx.runSignal.aborted) return lost;

    const endMs = now();
    if (result.ok) {
      if (!(await repository.succeedTask(runId, task.name, endMs, endMs - firstStartMs, result.outputJson))) return lost;
      ctx.outputs.set(task.name, JSON.parse(result.outputJson) as unknown);
      return { outcome: 'succeeded', error: null };
    }
    const message = messageOf(result.error);
    if (!relaunch && !willRetry) {
      const downstream = downstreamOf(ctx.pipeline, task);
      if (!(await repository.failTask(runId, task.name, endMs, endMs - firstStartMs, message, downstream))) return lost;
      return { outcome: 'failed', error: message };
    }
    if (!(await repository.recordFailedAttempt(runId, task.name, message, endMs))) return lost;
    if (relaunch) continue;
    try {
      await ctx.sleep(backoffMs, ctx.runSignal);
    } catch {
      return lost;
    }
    if (ctx.runSignal.aborted) return lost;
  }
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
