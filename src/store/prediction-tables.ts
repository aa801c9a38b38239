/** Stored pre-match predictions; created by migration 0008-predictions. */
export interface PredictionTables {
  match_predictions: MatchPredictionTable;
}

/**
 * One registered model version's forecast for one match, as produced by a pipeline (or the API) at
 * `predicted_at_ms` from data known at `as_of_ms`. A version predicts a match once: producing it
 * again (a retried task, a rerun) replaces the figures instead of adding a row.
 */
export interface MatchPredictionTable {
  match_id: number;
  model_name: string;
  model_version: number;
  /** Kick-offs before this instant were training data; the match itself kicks off at or after it. */
  as_of_ms: number;
  predicted_at_ms: number;
  p_home: number;
  p_draw: number;
  p_away: number;
  /** Expected goals from the score grid (null for models without one). */
  home_goals_expected: number | null;
  away_goals_expected: number | null;
  /** The pipeline run that produced it (null when produced on demand). */
  pipeline_run_id: string | null;
}
