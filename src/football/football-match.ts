/** Decimal prices for one 1X2 book. */
export interface OneXTwoPrices {
  readonly home: number;
  readonly draw: number;
  readonly away: number;
}

/** Probabilities of home win, draw and away win; they sum to 1. */
export interface OneXTwoProbabilities {
  readonly home: number;
  readonly draw: number;
  readonly away: number;
}

/**
 * A match as it is known BEFORE kick-off: teams, time and the pre-match prices. Models predict
 * from this and nothing else; it has no result and no closing prices, so a prediction cannot
 * peek at the outcome.
 */
export interface Fixture {
  readonly matchId: number;
  readonly competition: string;
  readonly season: string;
  readonly kickoffDate: string;
  /** UTC ms; local midnight when the time is unknown (see `kickoffTimeKnown`). */
  readonly kickoffAtMs: number;
  readonly kickoffTimeKnown: boolean;
  readonly homeTeam: string;
  readonly awayTeam: string;
  /** Pre-match 1X2 prices by bookmaker slug (e.g. `bet365`, `pinnacle`, `market-avg`). */
  readonly preMatchOdds: Readonly<Record<string, OneXTwoPrices>>;
}

/** Per-team match statistics used by feature builders (null when the source has none). */
export interface PlayedStats {
  readonly homeShots: number | null;
  readonly awayShots: number | null;
  readonly homeShotsOnTarget: number | null;
  readonly awayShotsOnTarget: number | null;
  readonly homeCorners: number | null;
  readonly awayCorners: number | null;
  readonly homeRedCards: number | null;
  readonly awayRedCards: number | null;
}

/** A finished match: the fixture plus everything learned at and after kick-off. */
export interface PlayedMatch extends Fixture {
  readonly homeGoals: number;
  readonly awayGoals: number;
  readonly halfTimeHomeGoals: number | null;
  readonly halfTimeAwayGoals: number | null;
  readonly stats: PlayedStats;
  /** Closing 1X2 prices by bookmaker: known only at kick-off, so never a model input for betting. */
  readonly closingOdds: Readonly<Record<string, OneXTwoPrices>>;
}

/** 0 = home win, 1 = draw, 2 = away win: the order RPS needs (outcomes are ordered). */
export type OneXTwoOutcome = 0 | 1 | 2;

/** The 1X2 outcome of a score. */
export function outcomeOf(homeGoals: number, awayGoals: number): OneXTwoOutcome {
  return homeGoals > awayGoals ? 0 : homeGoals === awayGoals ? 1 : 2;
}

/** Strips a played match down to what was known before kick-off (a new object, no result fields). */
export function toFixture(match: Fixture): Fixture {
  return {
    matchId: match.matchId,
    competition: match.competition,
    season: match.season,
    kickoffDate: match.kickoffDate,
    kickoffAtMs: match.kickoffAtMs,
    kickoffTimeKnown: match.kickoffTimeKnown,
    homeTeam: match.homeTeam,
    awayTeam: match.awayTeam,
    preMatchOdds: match.preMatchOdds,
  };
}
