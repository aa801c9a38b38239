/** States of a pipeline run, in the order a run moves through them. */
export const PIPELINE_RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
/** A pipeline run status. */
export type PipelineRunStatus = (typeof PIPELINE_RUN_STATUSES)[number];

/** States of one task within a run; `skipped` tasks never started because their run was interrupted. */
export const TASK_RUN_STATUSES = ['pending', 'running', 'succeeded', 'failed', 'skipped', 'upstream_failed'] as const;
/** A task run status. */
export type TaskRunStatus = (typeof TASK_RUN_STATUSES)[number];

/** Levels of the log lines a task writes. */
export const TASK_LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
/** A task log level. */
export type TaskLogLevel = (typeof TASK_LOG_LEVELS)[number];

/** True when `value` is a pipeline run status. */
export function isPipelineRunStatus(value: unknown): value is PipelineRunStatus {
  return typeof value === 'string' && (PIPELINE_RUN_STATUSES as readonly string[]).includes(value);
}

/** True when `value` is a task run status. */
export function isTaskRunStatus(value: unknown): value is TaskRunStatus {
  return typeof value === 'string' && (TASK_RUN_STATUSES as readonly string[]).includes(value);
}

/** True when `value` is a task log level. */
export function isTaskLogLevel(value: unknown): value is TaskLogLevel {
  return typeof value === 'string' && (TASK_LOG_LEVELS as readonly string[]).includes(value);
}
