import { type NewTeamPolicy, resolveNewTeamPolicy } from './new-team-policy.js';
import { kickoffOrder, type RatedMatch } from './rated-match.js';
import { RatingHistory } from './rating-history.js';
import type { RatingSystem } from './rating-system.js';
import { TeamActivity } from './team-activity.js';

/** Settings of an Elo rating run; frozen once built. */
export interface EloOptions {
  /** Rating of the founding teams (and of newcomers under the `initial` rule). */
  readonly initialRating: number;
  /** Points moved per unit of surprise before goal-difference weighting (club Elo uses 20). */
  readonly kFactor: number;
  /** Rating points added to the home side when computing the expected score (World Football Elo: 100). */
  readonly homeAdvantage: number;
  /** Scale big wins up with the World Football Elo multiplier (×1 for a margin ≤ 1, ×1.5 for 2, ×(11 + m)/8 above). */
  readonly goalDifferenceWeighting: boolean;
  readonly newTeams: NewTeamPolicy;
}

/** World Football Elo conventions (eloratings.net) with the club K factor of 20. */
export const DEFAULT_ELO_OPTIONS: EloOptions = Object.freeze({
  initialRating: 1500,
  kFactor: 20,
  homeAdvantage: 100,
  goalDifferenceWeighting: true,
  newTeams: resolveNewTeamPolicy(),
});

/** Goal-difference multiplier of the World Football Elo ratings for a winning margin `margin` ≥ 0. */
export function goalDifferenceMultiplier(margin: number): number {
  if (margin <= 1) return 1;
  if (margin === 2) return 1.5;
  return (11 + margin) / 8;
}

/** Expected score (win 1, draw ½) of a side rated `ratingDifference` points above its opponent. */
export function eloExpectedScore(ratingDifference: number): number {
  return 1 / (1 + Math.pow(10, -ratingDifference / 400));
}

/**
 * Elo ratings for football: zero-sum updates K·G·(result − expected) with home advantage and
 * goal-difference weighting, processed strictly in kick-off order.
 */
export class EloRatings implements RatingSystem {
  readonly options: EloOptions;
  readonly #ratings = new Map<string, number>();
  readonly #history = new RatingHistory<number>();
  readonly #activity: TeamActivity;
  #lastKickoffAtMs = Number.NEGATIVE_INFINITY;

  constructor(options: Partial<Omit<EloOptions, 'newTeams'>> & { readonly newTeams?: Partial<NewTeamPolicy> } = {}) {
    const resolved: EloOptions = {
      ...DEFAULT_ELO_OPTIONS,
      ...options,
      newTeams: resolveNewTeamPolicy(options.newTeams),
    };
    if (!Number.isFinite(resolved.initialRating)) throw new RangeError(`initialRating must be finite, got ${resolved.initialRating}`);
    if (!(resolved.kFactor > 0)) throw new RangeError(`kFactor must be > 0, got ${resolved.kFactor}`);
    if (!Number.isFinite(resolved.homeAdvantage)) throw new RangeError(`homeAdvantage must be finite, got ${resolved.homeAdvantage}`);
    this.options = Object.freeze(resolved);
    this.#activity = new TeamActivity(this.options.newTeams);
  }

  /** Kick-off of the latest rated match (−Infinity before any). */
  get lastKickoffAtMs(): number {
    return this.#lastKickoffAtMs;
  }

  /** Rates `matches` in kick-off order; returns each match's pre-match feature (home − away + home advantage), in input order. */
  update(matches: readonly RatedMatch[]): Float64Array {
    const order = kickoffOrder(matches, this.#lastKickoffAtMs);
    const features = new Float64Array(matches.length);
    const { kFactor, homeAdvantage, goalDifferenceWeighting } = this.options;
    for (let position = 0; position < order.length; position++) {
      const index = order[position]!;
      const match = matches[index]!;
      // Both newcomer ratings are fixed before either side is recorded, so neither sees the other.
      const home = this.#ratings.get(match.homeTeam) ?? this.#newcomerRating(match.kickoffAtMs);
      const away = this.#ratings.get(match.awayTeam) ?? this.#newcomerRating(match.kickoffAtMs);
      const feature = home - away + homeAdvantage;
      features[index] = feature;
      const margin = match.homeGoals - match.awayGoals;
      const result = margin > 0 ? 1 : margin === 0 ? 0.5 : 0;
      const weight = goalDifferenceWeighting ? goalDifferenceMultiplier(Math.abs(margin)) : 1;
      const change = kFactor * weight * (result - eloExpectedScore(feature));
      this.#setRating(match.homeTeam, home + change, match.kickoffAtMs);
      this.#setRating(match.awayTeam, away - change, match.kickoffAtMs);
      this.#lastKickoffAtMs = match.kickoffAtMs;
    }
    return features;
  }

  /** Current rating of `team`; a team never rated gets what a newcomer would get now. */
  rating(team: string): number {
    return this.#ratings.get(team) ?? this.#newcomerRating(this.#lastKickoffAtMs);
  }

  /** Every team that played before `asOfMs`, with its rating after its last match before then. */
  ratingsAsOf(asOfMs: number): Map<string, number> {
    return this.#history.asOf(asOfMs);
  }

  /** Home side's expected score (win 1, draw ½) for a fixture from the current ratings, home advantage included. */
  expectedScore(homeTeam: string, awayTeam: string): number {
    return eloExpectedScore(this.predictFeature(homeTeam, awayTeam));
  }

  /** Rating difference home − away + home advantage from the current ratings. */
  predictFeature(homeTeam: string, awayTeam: string): number {
    return this.rating(homeTeam) - this.rating(awayTeam) + this.options.homeAdvantage;
  }

  #newcomerRating(kickoffAtMs: number): number {
    const proxy = this.#activity.relegatedProxy(kickoffAtMs, (team) => this.#ratings.get(team)!);
    if (proxy.length === 0) return this.options.initialRating;
    let sum = 0;
    for (const team of proxy) sum += this.#ratings.get(team)!;
    return sum / proxy.length;
  }

  #setRating(team: string, rating: number, kickoffAtMs: number): void {
    this.#ratings.set(team, rating);
    this.#activity.record(team, kickoffAtMs);
    this.#history.record(team, kickoffAtMs, rating);
  }
}
