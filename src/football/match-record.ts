import type { Market, PricePhase, Selection } from './markets.js';

/** Per-team match statistics a source may publish; each is stored as a home and an away column. */
export const MATCH_STATS = [
  'shots',
  'shotsOnTarget',
  'woodwork',
  'corners',
  'fouls',
  'freeKicksConceded',
  'offsides',
  'yellowCards',
  'redCards',
  'bookingPoints',
] as const;
export type MatchStat = (typeof MATCH_STATS)[number];

/** One side's statistics; a missing value is null (never 0). */
export type TeamStats = Record<MatchStat, number | null>;

/** One price for one selection of one market from one bookmaker. */
export interface OddsQuote {
  /** Canonical bookmaker slug from BOOKMAKERS, e.g. `bet365`, `pinnacle`, `market-max`. */
  readonly bookmaker: string;
  readonly market: Market;
  /** 0 for 1x2; the total-goals line for ou (2.5); the home team's handicap for ah (-0.75). */
  readonly line: number;
  readonly selection: Selection;
  readonly phase: PricePhase;
  /** Decimal odds, always > 1. */
  readonly price: number;
}

/** Full-time and (when published) half-time score. */
export interface MatchResult {
  readonly ftHome: number;
  readonly ftAway: number;
  readonly htHome: number | null;
  readonly htAway: number | null;
}

/** A match as read from a source, before team names are resolved to store ids. */
export interface MatchRecord {
  /** Source division code, e.g. `E0`. */
  readonly competitionCode: string;
  /** Season code `YYZZ`, e.g. `2223` for 2022/23. */
  readonly seasonCode: string;
  readonly homeTeam: string;
  readonly awayTeam: string;
  /** Local calendar date `YYYY-MM-DD`. */
  readonly kickoffDate: string;
  /** Local kick-off time `HH:MM` (UK time for football-data), null when the source has none. */
  readonly kickoffTime: string | null;
  /** UTC epoch ms of kick-off; start of the local day when the time is unknown. */
  readonly kickoffAtMs: number;
  /** Null for an upcoming fixture. */
  readonly result: MatchResult | null;
  readonly referee: string | null;
  readonly attendance: number | null;
  readonly homeStats: TeamStats;
  readonly awayStats: TeamStats;
  readonly odds: readonly OddsQuote[];
  /** Where it came from, for error messages. */
  readonly sourceLine: number;
}
