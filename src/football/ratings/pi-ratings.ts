import { type NewTeamPolicy, resolveNewTeamPolicy } from './new-team-policy.js';
import { kickoffOrder, type RatedMatch } from './rated-match.js';
import { RatingHistory } from './rating-history.js';
import type { RatingSystem } from './rating-system.js';
import { TeamActivity } from './team-activity.js';

/** Settings of a pi-rating run (Constantinou & Fenton 2013); frozen once built. */
export interface PiRatingOptions {
  /** λ: how far one match's weighted error moves the venue rating it was played at. */
  readonly learningRate: number;
  /** γ: share of that move passed on to the team's other venue rating. */
  readonly catchUpRate: number;
  /** b: logarithmic base of the rating → goal-difference map. */
  readonly base: number;
  /** c: rating scale of that map, and the weight of the diminishing-returns error ψ(e) = c·log10(1 + e). */
  readonly scale: number;
  readonly newTeams: NewTeamPolicy;
}

/** The paper's values: λ = 0.035, γ = 0.7, b = 10, c = 3. */
export const DEFAULT_PI_RATING_OPTIONS: PiRatingOptions = Object.freeze({
  learningRate: 0.035,
  catchUpRate: 0.7,
  base: 10,
  scale: 3,
  newTeams: resolveNewTeamPolicy(),
});

/** A team's two pi-ratings: at home and away (0 = an average team). */
export interface PiRating {
  readonly home: number;
  readonly away: number;
}

const AVERAGE_TEAM: PiRating = Object.freeze({ home: 0, away: 0 });

/** Goal difference expected against an average opponent from one venue rating: sign(r)·(b^{|r|/c} − 1). */
export function piRatingGoalDifference(rating: number, base: number, scale: number): number {
  const magnitude = Math.pow(base, Math.abs(rating) / scale) - 1;
  return rating < 0 ? -magnitude : magnitude;
}

/**
 * Pi-ratings (Constantinou & Fenton 2013): every team has a home and an away rating; each match
 * moves them by the diminishing-returns error between the observed and expected goal difference,
 * the venue played at by λ and the other venue by λγ. Processed strictly in kick-off order.
 */
export class PiRatings implements RatingSystem {
  readonly options: PiRatingOptions;
  readonly #ratings = new Map<string, PiRating>();
  readonly #history = new RatingHistory<PiRating>();
  readonly #activity: TeamActivity;
  #lastKickoffAtMs = Number.NEGATIVE_INFINITY;

  constructor(options: Partial<Omit<PiRatingOptions, 'newTeams'>> & { readonly newTeams?: Partial<NewTeamPolicy> } = {}) {
    const resolved: PiRatingOptions = {
      ...DEFAULT_PI_RATING_OPTIONS,
      ...options,
      newTeams: resolveNewTeamPolicy(options.newTeams),
    };
    if (!(resolved.learningRate > 0)) throw new RangeError(`learningRate must be > 0, got ${resolved.learningRate}`);
    if (!(resolved.catchUpRate >= 0)) throw new RangeError(`catchUpRate must be ≥ 0, got ${resolved.catchUpRate}`);
    if (!(resolved.base > 1)) throw new RangeError(`base must be > 1, got ${resolved.base}`);
    if (!(resolved.scale > 0)) throw new RangeError(`scale must be > 0, got ${resolved.scale}`);
    this.options = Object.freeze(resolved);
    this.#activity = new TeamActivity(this.options.newTeams);
  }

  /** Kick-off of the latest rated match (−Infinity before any). */
  get lastKickoffAtMs(): number {
    return this.#lastKickoffAtMs;
  }

  /** Rates `matches` in kick-off order; returns each match's pre-match expected goal difference, in input order. */
  update(matches: readonly RatedMatch[]): Float64Array {
    const order = kickoffOrder(matches, this.#lastKickoffAtMs);
    const features = new Float64Array(matches.length);
    const { learningRate, catchUpRate, base, scale } = this.options;
    for (let position = 0; position < order.length; position++) {
      const index = order[position]!;
      const match = matches[index]!;
      const home = this.#ratings.get(match.homeTeam) ?? this.#newcomerRating(match.kickoffAtMs);
      const away = this.#ratings.get(match.awayTeam) ?? this.#newcomerRating(match.kickoffAtMs);
      const expected = piRatingGoalDifference(home.home, base, scale) - piRatingGoalDifference(away.away, base, scale);
      features[index] = expected;
      const observed = match.homeGoals - match.awayGoals;
      // Diminishing returns: a 5-goal surprise moves ratings far less than five 1-goal surprises.
      const weightedError = scale * Math.log10(1 + Math.abs(observed - expected));
      const homeError = observed > expected ? weightedError : -weightedError;
      const homeStep = homeError * learningRate;
      const awayStep = -homeError * learningRate;
      this.#setRating(match.homeTeam, { home: home.home + homeStep, away: home.away + homeStep * catchUpRate }, match.kickoffAtMs);
      this.#setRating(match.awayTeam, { home: away.home + awayStep * catchUpRate, away: away.away + awayStep }, match.kickoffAtMs);
      this.#lastKickoffAtMs = match.kickoffAtMs;
    }
    return features;
  }

  /** Current home and away rating of `team`; a team never rated gets what a newcomer would get now. */
  rating(team: string): PiRating {
    return this.#ratings.get(team) ?? this.#newcomerRating(this.#lastKickoffAtMs);
  }

  /** Every team that played before `asOfMs`, with its ratings after its last match before then. */
  ratingsAsOf(asOfMs: number): Map<string, PiRating> {
    return this.#history.asOf(asOfMs);
  }

  /** Expected goal difference (home − away) for a fixture: the home side's home rating against the away side's away rating. */
  expectedGoalDifference(homeTeam: string, awayTeam: string): number {
    const { base, scale } = this.options;
    return (
      piRatingGoalDifference(this.rating(homeTeam).home, base, scale) -
      piRatingGoalDifference(this.rating(awayTeam).away, base, scale)
    );
  }

  /** The expected goal difference, used as the ordered-logit feature. */
  predictFeature(homeTeam: string, awayTeam: string): number {
    return this.expectedGoalDifference(homeTeam, awayTeam);
  }

  #newcomerRating(kickoffAtMs: number): PiRating {
    const proxy = this.#activity.relegatedProxy(kickoffAtMs, (team) => {
      const rating = this.#ratings.get(team)!;
      return rating.home + rating.away;
    });
    if (proxy.length === 0) return AVERAGE_TEAM;
    let home = 0;
    let away = 0;
    for (const team of proxy) {
      const rating = this.#ratings.get(team)!;
      home += rating.home;
      away += rating.away;
    }
    return Object.freeze({ home: home / proxy.length, away: away / proxy.length });
  }

  #setRating(team: string, rating: PiRating, kickoffAtMs: number): void {
    const frozen = Object.freeze(rating);
    this.#ratings.set(team, frozen);
    this.#activity.record(team, kickoffAtMs);
    this.#history.record(team, kickoffAtMs, frozen);
  }
}
