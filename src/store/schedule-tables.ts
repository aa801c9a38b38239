import type { Generated } from 'kysely';

/** Scheduler tables; created by migration 0005-pipeline-schedules. */
export interface ScheduleTables {
  pipeline_schedule_ticks: PipelineScheduleTickTable;
  pipeline_schedules: PipelineScheduleTable;
}

/** One scheduler tick: what it decided for one fire time of one pipeline, and why. */
export interface PipelineScheduleTickTable {
  id: Generated<number>;
  pipeline: string;
  /** The cron fire time this tick stands for (not when it ran). */
  scheduled_at_ms: number;
  decided_at_ms: number;
  /** One of `SCHEDULE_DECISIONS` (src/pipelines/scheduler/schedule-decisions.ts). */
  decision: string;
  /** Why, in words an operator can act on. */
  reason: string;
  /** The run started, or the active run that blocked this one; null when there is none. */
  run_id: string | null;
  /** Which scheduler process decided (`host:pid`). */
  owner: string;
}

/** A schedule as the last scheduler to arm it saw it: its pattern and when it fires next. */
export interface PipelineScheduleTable {
  pipeline: string;
  cron: string;
  timezone: string;
  /** Null when the pattern never fires again. */
  next_fire_at_ms: number | null;
  owner: string;
  updated_at_ms: number;
}
