import { TipsterError } from '../core/errors.js';
import type { TaskLogLevel } from './pipeline-statuses.js';

/** Writes log lines to the store under the current run, task and attempt. */
export type TaskLogger = { readonly [level in TaskLogLevel]: (message: string) => void };

/** What a running task is given. */
export interface TaskContext {
  readonly runId: string;
  readonly pipeline: string;
  readonly task: string;
  /** 1 on the first try, then one more for each retry and for each restart after its worker was lost. */
  readonly attempt: number;
  /** The run's parameters (a JSON copy: tasks cannot change what other tasks see). */
  readonly params: Readonly<Record<string, unknown>>;
  /** What each direct upstream task returned, by task name, as it was stored (JSON). */
  readonly upstream: Readonly<Record<string, unknown>>;
  readonly log: TaskLogger;
  /** Fires when the attempt times out or its run is taken away; long work should stop when it does. */
  readonly signal: AbortSignal;
}

/** A task as written in a pipeline definition. */
export interface TaskDefinition {
  readonly name: string;
  readonly dependsOn?: readonly string[];
  /** Further attempts after a failure (default 0). */
  readonly retries?: number;
  /** Wait before the first retry; doubles on each further retry (default 1000 ms). */
  readonly retryBackoffMs?: number;
  /** Per attempt; none by default. */
  readonly timeoutMs?: number;
  /** Does the work; what it returns must be JSON-serialisable and reaches downstream tasks. */
  readonly run: (context: TaskContext) => Promise<unknown>;
}

/** A pipeline as written in code. */
export interface PipelineDefinition {
  readonly name: string;
  readonly description: string;
  readonly tasks: readonly TaskDefinition[];
}

/** A validated task with its defaults filled in and its downstream tasks known. */
export interface PipelineTask {
  readonly name: string;
  readonly dependsOn: readonly string[];
  /** Tasks that list this one in `dependsOn`. */
  readonly dependents: readonly string[];
  readonly retries: number;
  readonly retryBackoffMs: number;
  readonly timeoutMs: number | null;
  readonly run: (context: TaskContext) => Promise<unknown>;
}

/** A validated, frozen pipeline: tasks in a topological order (every task after all it depends on). */
export interface Pipeline {
  readonly name: string;
  readonly description: string;
  readonly tasks: readonly PipelineTask[];
  readonly taskByName: ReadonlyMap<string, PipelineTask>;
}

const DEFAULT_RETRY_BACKOFF_MS = 1000;

/** Validates a pipeline definition once (names, dependencies, cycles, retry and timeout options) and freezes it. */
export function definePipeline(definition: PipelineDefinition): Pipeline {
  const pipelineName = definition.name;
  const invalid = (detail: string) =>
    new TipsterError('TIPSTER_ERR_PIPELINE_DEFINITION_INVALID', { pipeline: pipelineName, detail });
  if (typeof pipelineName !== 'string' || pipelineName.trim() === '') throw invalid('the pipeline needs a non-empty name');
  if (definition.tasks.length === 0) throw invalid('it has no tasks');

  const byDefinition = new Map<string, TaskDefinition>();
  for (const task of definition.tasks) {
    if (typeof task.name !== 'string' || task.name.trim() === '') throw invalid('every task needs a non-empty name');
    if (byDefinition.has(task.name)) throw invalid(`task "${task.name}" is defined twice`);
    byDefinition.set(task.name, task);
  }
  for (const task of definition.tasks) {
    const seen = new Set<string>();
    for (const dependency of task.dependsOn ?? []) {
      if (dependency === task.name) throw invalid(`task "${task.name}" depends on itself`);
      if (!byDefinition.has(dependency)) throw invalid(`task "${task.name}" depends on unknown task "${dependency}"`);
      if (seen.has(dependency)) throw invalid(`task "${task.name}" lists dependency "${dependency}" twice`);
      seen.add(dependency);
    }
    checkOption(task.retries, 0, `task "${task.name}": retries must be a whole number ≥ 0`, true, invalid);
    checkOption(task.retryBackoffMs, 0, `task "${task.name}": retryBackoffMs must be a finite number ≥ 0`, false, invalid);
    if (task.timeoutMs !== undefined && !(Number.isFinite(task.timeoutMs) && task.timeoutMs > 0)) {
      throw invalid(`task "${task.name}": timeoutMs must be a finite number > 0`);
    }
  }

  const order = topologicalOrder(definition.tasks, (cycle) => invalid(`tasks form a cycle: ${cycle.join(' → ')}`));
  const dependents = new Map<string, string[]>(definition.tasks.map((t) => [t.name, []]));
  for (const task of definition.tasks) for (const dependency of task.dependsOn ?? []) dependents.get(dependency)!.push(task.name);

  const tasks = order.map((task) =>
    Object.freeze({
      name: task.name,
      dependsOn: Object.freeze([...(task.dependsOn ?? [])]),
      dependents: Object.freeze(dependents.get(task.name)!),
      retries: task.retries ?? 0,
      retryBackoffMs: task.retryBackoffMs ?? DEFAULT_RETRY_BACKOFF_MS,
      timeoutMs: task.timeoutMs ?? null,
      run: task.run,
    }),
  );
  return Object.freeze({
    name: pipelineName,
    description: definition.description,
    tasks: Object.freeze(tasks),
    taskByName: new Map(tasks.map((t) => [t.name, t])),
  });
}

function checkOption(
  value: number | undefined,
  min: number,
  detail: string,
  whole: boolean,
  invalid: (detail: string) => TipsterError,
): void {
  if (value === undefined) return;
  if (!Number.isFinite(value) || value < min || (whole && !Number.isInteger(value))) throw invalid(detail);
}

/**
 * Kahn's algorithm, taking ready tasks in definition order so the order is stable and readable.
 * Tasks left over sit on or behind a cycle; one cycle among them is named in the error.
 */
function topologicalOrder(
  tasks: readonly TaskDefinition[],
  cycleError: (cycle: string[]) => TipsterError,
): TaskDefinition[] {
  const remaining = new Map(tasks.map((t) => [t.name, new Set(t.dependsOn ?? [])]));
  const order: TaskDefinition[] = [];
  let progressed = true;
  while (progressed) {
    progressed = false;
    for (const task of tasks) {
      const waiting = remaining.get(task.name);
      if (waiting === undefined || waiting.size > 0) continue;
      remaining.delete(task.name);
      order.push(task);
      for (const other of remaining.values()) other.delete(task.name);
      progressed = true;
    }
  }
  if (remaining.size === 0) return order;
  // Every leftover task waits on another leftover task, so following any dependency from one must loop.
  const [start] = remaining.keys();
  const path: string[] = [];
  const position = new Map<string, number>();
  let current = start!;
  while (!position.has(current)) {
    position.set(current, path.length);
    path.push(current);
    const [next] = remaining.get(current)!;
    current = next!;
  }
  throw cycleError([...path.slice(position.get(current)), current]);
}
