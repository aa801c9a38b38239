import type { RatedMatch } from './rated-match.js';

/** A team-strength rating that turns a fixture into one real feature (Elo difference, pi expected goal difference). */
export interface RatingSystem {
  /**
   * Rates finished matches in kick-off order, all at or after `lastKickoffAtMs`. Returns each
   * match's PRE-match feature, in input order: what was known before the match, never after.
   */
  update(matches: readonly RatedMatch[]): Float64Array;
  /** The feature for a fixture from the current ratings; larger favours the home team. */
  predictFeature(homeTeam: string, awayTeam: string): number;
  /** Kick-off of the latest rated match (−Infinity before any). */
  readonly lastKickoffAtMs: number;
}
