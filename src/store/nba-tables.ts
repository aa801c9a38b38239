import type { Generated } from 'kysely';

/** NBA shot data and shot predictions with their verifications; created by migration 0009-nba. */
export interface NbaTables {
  nba_teams: NbaTeamTable;
  nba_players: NbaPlayerTable;
  nba_games: NbaGameTable;
  nba_shots: NbaShotTable;
  shot_predictions: ShotPredictionTable;
  shot_verifications: ShotVerificationTable;
}

/** A franchise, keyed by its NBA.com TEAM_ID (stable across relocations and renames). */
export interface NbaTeamTable {
  id: number;
  /** The latest name a file used, e.g. `LA Clippers`. */
  name: string;
  /** Three-letter code as the games use it (`WAS`); null until a file tells which one it is. */
  abbreviation: string | null;
  updated_at_ms: number;
}

/** A player, keyed by NBA.com PLAYER_ID. */
export interface NbaPlayerTable {
  id: number;
  name: string;
  /** `G`, `F`, `C`; null when the source says `NA`. */
  position_group: string | null;
  /** `PG`, `SF-PF`, …; null when the source says `NA`. */
  position: string | null;
  updated_at_ms: number;
}

/** A game, keyed by NBA.com GAME_ID. */
export interface NbaGameTable {
  id: number;
  /** `2023-24`. */
  season: string;
  /** ISO date of the game, `2023-11-03`. */
  game_date: string;
  /** UTC midnight of game_date: shots are ordered by game day (tip-off times are not in the data). */
  game_day_ms: number;
  home_team: string;
  away_team: string;
  home_team_id: number | null;
  away_team_id: number | null;
  updated_at_ms: number;
}

/**
 * One field-goal attempt. `shot_key` identifies it across files that hold the same game (the source
 * has no event id): game, player, period, clock, action, location and an occurrence number for the
 * rare identical rows (two tip-ins in one second).
 */
export interface NbaShotTable {
  id: Generated<number>;
  shot_key: string;
  game_id: number;
  player_id: number;
  team_id: number;
  /** 1 when the shooting team is the home team. */
  is_home: number;
  /** 1–4, 5+ for overtimes. */
  period: number;
  /** Seconds left in the period (MINS_LEFT · 60 + SECS_LEFT). */
  seconds_left: number;
  /** Feet; hoop at (0, 5.25). */
  loc_x: number;
  loc_y: number;
  /** Feet, as the source rounds it (down). */
  distance_ft: number;
  basic_zone: string;
  zone_area: string;
  zone_range: string;
  action_type: string;
  shot_type: string;
  /** 1 made, 0 missed. */
  made: number;
}

/**
 * One served shot prediction. The input is the shot as the caller described it (normalised); the
 * features are what the model saw. `verified_*` hold the label used for retraining: the outcome
 * every verifier agrees on (null while unverified or while verifiers disagree, see `disputed`).
 */
export interface ShotPredictionTable {
  /** UUID. */
  id: string;
  model_name: string;
  model_version: number;
  created_at_ms: number;
  /** The user who asked for it; null for pipelines and anonymous callers. */
  created_by_user_id: number | null;
  /** JSON of the normalised shot description. */
  input_json: string;
  /** JSON object of feature name → value as scored. */
  features_json: string;
  probability: number;
  verified_outcome: number | null;
  /** The user whose verification last set the label. */
  verified_by_user_id: number | null;
  /** When the label was last set or changed (what "new labels since" counts). */
  verified_at_ms: number | null;
  /** Users whose latest verdict is on record. */
  verifications: number;
  /** 1 when verifiers disagree: the prediction has no label until they agree. */
  disputed: number;
}

/** Append-only audit trail: every verification any user made, in order. */
export interface ShotVerificationTable {
  id: Generated<number>;
  prediction_id: string;
  user_id: number;
  /** 1 made, 0 missed. */
  outcome: number;
  verified_at_ms: number;
  /** This user's previous verdict on the same prediction when this one replaces it; else null. */
  replaced_outcome: number | null;
}
