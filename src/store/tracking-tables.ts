/** Experiment-tracking tables: experiments, runs, their params, metrics, tags and artifacts. */
export interface TrackingTables {
  experiments: ExperimentTable;
  runs: RunTable;
  run_params: RunParamTable;
  run_metrics: RunMetricTable;
  run_latest_metrics: RunMetricTable;
  run_tags: RunTagTable;
  run_artifacts: RunArtifactTable;
}

export interface ExperimentTable {
  id: string;
  name: string;
  created_at_ms: number;
}

export const RUN_STATUSES = ['running', 'finished', 'failed', 'killed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface RunTable {
  id: string;
  experiment_id: string;
  name: string | null;
  status: RunStatus;
  start_time_ms: number;
  end_time_ms: number | null;
  seed: number | null;
  code_version: string | null;
  data_fingerprint: string | null;
}

export interface RunParamTable {
  run_id: string;
  key: string;
  value: string;
}

export interface RunMetricTable {
  run_id: string;
  key: string;
  step: number;
  value: number;
  timestamp_ms: number;
}

export interface RunTagTable {
  run_id: string;
  key: string;
  value: string;
}

export interface RunArtifactTable {
  run_id: string;
  path: string;
  media_type: string;
  size_bytes: number;
  sha256: string;
  content: Uint8Array;
  created_at_ms: number;
}
