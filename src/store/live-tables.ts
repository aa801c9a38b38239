/** The live match centre's tables; created by migration 0011-live. */
export interface LiveTables {
  live_matches: LiveMatchTable;
  live_events: LiveEventTable;
  live_probabilities: LiveProbabilityTable;
}

/** One followed match: its current state as JSON (rewritten with each applied batch) and its pre-match rates. */
export interface LiveMatchTable {
  match_id: string;
  home_team: string;
  away_team: string;
  /** `live` or `finished`. */
  status: string;
  /** Index of the last applied event: a write never moves it backwards (idempotent consumers). */
  last_index: number;
  pre_home_goals: number;
  pre_away_goals: number;
  /** Version of the pre-match model the in-play model started from. */
  model_version: string;
  /** LiveMatchState as JSON. */
  state_json: string;
  /** The latest InPlayProbability as JSON. */
  probability_json: string;
  started_at_ms: number;
  updated_at_ms: number;
  finished_at_ms: number | null;
}

/** Every applied event, by (match, index) and unique by (match, event id): resumable streams read these. */
export interface LiveEventTable {
  match_id: string;
  event_index: number;
  event_id: string;
  event_json: string;
  received_at_ms: number;
}

/** Probability history: one row per match minute and per key event. */
export interface LiveProbabilityTable {
  match_id: string;
  event_index: number;
  period: number;
  minute: number;
  second: number;
  home_score: number;
  away_score: number;
  p_home: number;
  p_draw: number;
  p_away: number;
  p_next_home: number;
  p_next_none: number;
  p_next_away: number;
  model_version: string;
}
