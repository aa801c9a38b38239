import type { Selectable } from 'kysely';
import type { PipelineRunTable, TaskLogTable, TaskRunTable } from '../store/pipeline-tables.js';
import type { PipelineRunStatus, TaskLogLevel, TaskRunStatus } from './pipeline-statuses.js';

/** One run as the run history lists it. */
export interface PipelineRunSummary {
  readonly id: string;
  readonly pipeline: string;
  readonly status: PipelineRunStatus;
  readonly params: Readonly<Record<string, unknown>>;
  readonly trigger: string;
  readonly owner: string;
  readonly createdAtMs: number;
  readonly startedAtMs: number | null;
  readonly finishedAtMs: number | null;
  /** From start to finish; null while the run is unfinished. */
  readonly durationMs: number | null;
  readonly heartbeatAtMs: number;
  readonly error: string | null;
}

/** One log line of a task attempt. */
export interface TaskLogLine {
  readonly attempt: number;
  readonly seq: number;
  readonly atMs: number;
  readonly level: TaskLogLevel;
  readonly message: string;
}

/** One task of a run: its state, attempts, timing, error or output, and log lines. */
export interface TaskRunRecord {
  readonly task: string;
  readonly status: TaskRunStatus;
  readonly attempt: number;
  readonly startedAtMs: number | null;
  readonly finishedAtMs: number | null;
  /** From the first attempt's start to the end of the last, backoff waits included. */
  readonly durationMs: number | null;
  readonly error: string | null;
  readonly output: unknown;
  readonly logs: readonly TaskLogLine[];
}

/** A run with every task. */
export interface PipelineRunDetail extends PipelineRunSummary {
  readonly tasks: readonly TaskRunRecord[];
}

/** Maps a stored run row to its summary. */
export function pipelineRunSummary(row: Selectable<PipelineRunTable>): PipelineRunSummary {
  return {
    id: row.id,
    pipeline: row.pipeline,
    status: row.status as PipelineRunStatus,
    params: JSON.parse(row.params) as Record<string, unknown>,
    trigger: row.trigger,
    owner: row.owner,
    createdAtMs: row.created_at_ms,
    startedAtMs: row.started_at_ms,
    finishedAtMs: row.finished_at_ms,
    durationMs: row.started_at_ms !== null && row.finished_at_ms !== null ? row.finished_at_ms - row.started_at_ms : null,
    heartbeatAtMs: row.heartbeat_at_ms,
    error: row.error,
  };
}

/** Maps a stored task row and its log rows to a task record. */
export function taskRunRecord(row: Selectable<TaskRunTable>, logs: readonly Selectable<TaskLogTable>[]): TaskRunRecord {
  return {
    task: row.task,
    status: row.status as TaskRunStatus,
    attempt: row.attempt,
    startedAtMs: row.started_at_ms,
    finishedAtMs: row.finished_at_ms,
    durationMs: row.duration_ms,
    error: row.error,
    output: row.output === null ? null : (JSON.parse(row.output) as unknown),
    logs: logs.map((l) => ({
      attempt: l.attempt,
      seq: l.seq,
      atMs: l.at_ms,
      level: l.level as TaskLogLevel,
      message: l.message,
    })),
  };
}
