/** Pipeline tables (DAG runs, task runs, task logs); created by migration 0003-pipelines. */
export interface PipelineTables {
  pipeline_runs: PipelineRunTable;
  task_runs: TaskRunTable;
  task_logs: TaskLogTable;
}

/** One execution of a pipeline; status is one of `PIPELINE_RUN_STATUSES` (src/pipelines/pipeline-statuses.ts). */
export interface PipelineRunTable {
  /** Random UUID, so runs created by different processes never collide. */
  id: string;
  pipeline: string;
  status: string;
  /** JSON text of the run's parameters (text, not json/jsonb, so both backends store the same bytes). */
  params: string;
  /** Who asked for the run: `manual`, `schedule`, `startup`… */
  trigger: string;
  created_at_ms: number;
  started_at_ms: number | null;
  finished_at_ms: number | null;
  /** Last sign of life of the process running it; a stale value on a running run means that process died. */
  heartbeat_at_ms: number;
  /** Which process runs it (`host:pid`). */
  owner: string;
  /** Why the run failed, in words; null unless failed. */
  error: string | null;
}

/** The state of one task within one run; status is one of `TASK_RUN_STATUSES`. */
export interface TaskRunTable {
  run_id: string;
  task: string;
  /** Place of the task in its pipeline's topological order, so a run lists its tasks as they flow. */
  position: number;
  status: string;
  /** Attempts started so far (0 while pending). */
  attempt: number;
  started_at_ms: number | null;
  finished_at_ms: number | null;
  duration_ms: number | null;
  error: string | null;
  /** JSON text of what the task returned; null until it succeeds. */
  output: string | null;
}

/** One log line a task wrote, ordered by `seq` within its attempt. */
export interface TaskLogTable {
  run_id: string;
  task: string;
  attempt: number;
  seq: number;
  at_ms: number;
  level: string;
  message: string;
}
