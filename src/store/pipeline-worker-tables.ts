/** Tables of distributed pipeline execution; created by migration 0006-pipeline-workers. */
export interface PipelineWorkerTables {
  pipeline_workers: PipelineWorkerTable;
  pipeline_task_dispatches: PipelineTaskDispatchTable;
}

/** One `tipster worker` process, alive while its heartbeat advances. */
export interface PipelineWorkerTable {
  /** Random UUID, new for each start of the process. */
  id: string;
  /** `host:pid`, as the worker prints itself. */
  name: string;
  host: string;
  pid: number;
  /** Task attempts it runs at once. */
  concurrency: number;
  /** JSON array of the pipeline names it knows. */
  pipelines: string;
  /** How often it beats; coordinators wait several of these before calling it dead. */
  heartbeat_interval_ms: number;
  started_at_ms: number;
  /** The worker's own clock; coordinators only watch whether it advances, so clocks need not agree. */
  heartbeat_at_ms: number;
  /** Set when it shut down cleanly; null while running (or after a crash). */
  stopped_at_ms: number | null;
}

/**
 * One task attempt sent to the workers as a pg-boss job. The row is the attempt's single source of
 * truth: a worker claims it, and only while it is claimed by that worker do its log lines and result
 * count. State is one of `DISPATCH_STATES` (src/pipelines/distributed/dispatch-states.ts).
 */
export interface PipelineTaskDispatchTable {
  /** The pg-boss job id (a UUID the coordinator picks). */
  job_id: string;
  run_id: string;
  task: string;
  attempt: number;
  state: string;
  /** The worker that claimed it; null until then. */
  worker_id: string | null;
  dispatched_at_ms: number;
  claimed_at_ms: number | null;
  finished_at_ms: number | null;
  /** JSON text of what the task returned, when it succeeded. */
  output: string | null;
  /** Why the attempt failed, or why it was lost or withdrawn. */
  error: string | null;
  /** Seq of the attempt's last stored log line once it ended (0 when none). */
  last_log_seq: number | null;
}
