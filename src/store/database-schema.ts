import type { Generated } from 'kysely';
import type { AccountTables } from './account-tables.js';
import type { BetTables } from './bet-tables.js';
import type { LiveTables } from './live-tables.js';
import type { NbaTables } from './nba-tables.js';
import type { PipelineTables } from './pipeline-tables.js';
import type { PipelineWorkerTables } from './pipeline-worker-tables.js';
import type { PredictionTables } from './prediction-tables.js';
import type { RegistryTables } from './registry-tables.js';
import type { ScheduleTables } from './schedule-tables.js';
import type { TrackingTables } from './tracking-tables.js';

/** Kysely view of every table; column names are snake_case in SQL and here. */
export interface Database extends AccountTables, BetTables, TrackingTables, RegistryTables, PipelineTables, PipelineWorkerTables, ScheduleTables, PredictionTables, NbaTables, LiveTables {
  competitions: CompetitionTable;
  seasons: SeasonTable;
  teams: TeamTable;
  team_aliases: TeamAliasTable;
  matches: MatchTable;
  bookmakers: BookmakerTable;
  odds: OddsTable;
  ingested_files: IngestedFileTable;
}

export interface CompetitionTable {
  id: Generated<number>;
  /** Source division code, e.g. `E0`. */
  code: string;
  name: string;
  country: string | null;
  sport: string;
  created_at_ms: number;
}

export interface SeasonTable {
  id: Generated<number>;
  competition_id: number;
  /** `2223` for 2022/23. */
  code: string;
  label: string;
  start_year: number;
}

export interface TeamTable {
  id: Generated<number>;
  competition_id: number;
  /** Canonical name. */
  name: string;
}

export interface TeamAliasTable {
  competition_id: number;
  alias: string;
  team_id: number;
}

export const MATCH_STATUSES = ['scheduled', 'finished'] as const;
export type MatchStatus = (typeof MATCH_STATUSES)[number];

export interface MatchTable {
  id: Generated<number>;
  competition_id: number;
  season_id: number;
  home_team_id: number;
  away_team_id: number;
  kickoff_date: string;
  kickoff_time: string | null;
  kickoff_at_ms: number;
  status: MatchStatus;
  ft_home: number | null;
  ft_away: number | null;
  ht_home: number | null;
  ht_away: number | null;
  referee: string | null;
  attendance: number | null;
  home_shots: number | null;
  away_shots: number | null;
  home_shots_on_target: number | null;
  away_shots_on_target: number | null;
  home_woodwork: number | null;
  away_woodwork: number | null;
  home_corners: number | null;
  away_corners: number | null;
  home_fouls: number | null;
  away_fouls: number | null;
  home_free_kicks_conceded: number | null;
  away_free_kicks_conceded: number | null;
  home_offsides: number | null;
  away_offsides: number | null;
  home_yellow_cards: number | null;
  away_yellow_cards: number | null;
  home_red_cards: number | null;
  away_red_cards: number | null;
  home_booking_points: number | null;
  away_booking_points: number | null;
  updated_at_ms: number;
}

export interface BookmakerTable {
  id: Generated<number>;
  slug: string;
  name: string;
  kind: string;
}

export interface OddsTable {
  match_id: number;
  bookmaker_id: number;
  market: string;
  line: number;
  selection: string;
  phase: string;
  price: number;
}

export interface IngestedFileTable {
  id: Generated<number>;
  provider: string;
  /** Where the bytes were last read from: a path or a URL. */
  source: string;
  sha256: string;
  /** Bumped when the parser learns to read more from the same bytes, so old loads are redone. */
  parser_version: number;
  bytes: number;
  data_rows: number;
  records: number;
  skipped_rows: number;
  warnings: number;
  ingested_at_ms: number;
}
