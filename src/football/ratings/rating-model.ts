import { type OneXTwoProbabilities, outcomeOf } from '../football-match.js';
import { OrderedLogit } from './ordered-logit.js';
import type { RatedMatch } from './rated-match.js';
import type { RatingSystem } from './rating-system.js';

const DAY_MS = 86_400_000;

/** Which matches a rating model learns from. */
export interface RatingModelFitOptions {
  /** Use only matches kicking off strictly before this instant (default: all of them). */
  readonly asOfMs?: number;
  /**
   * Matches within this many days of the first one only warm the ratings up: their pre-match
   * features, made while every team still sits near its starting rating, are left out of the
   * ordered-logit fit (default 0: every match is used).
   */
  readonly warmUpDays?: number;
}

/**
 * A rating system plus an ordered-logit layer: `fit` rates the matches from scratch in kick-off
 * order, then fits P(home/draw/away) on each match's PRE-match feature against its result (the
 * post-match rating already knows the result); `predict` prices a fixture from the ratings as of
 * the last match used.
 */
export class RatingModel<System extends RatingSystem> {
  readonly #createSystem: () => System;
  #system: System | undefined;
  #logit: OrderedLogit | undefined;

  constructor(createSystem: () => System) {
    this.#createSystem = createSystem;
  }

  /** Rates `matches` (those before `asOfMs`) and fits the ordered logit; returns this for chaining. */
  fit(matches: readonly RatedMatch[], options: RatingModelFitOptions = {}): this {
    const asOfMs = options.asOfMs ?? Number.POSITIVE_INFINITY;
    const warmUpMs = (options.warmUpDays ?? 0) * DAY_MS;
    if (!(warmUpMs >= 0)) throw new RangeError(`warmUpDays must be ≥ 0, got ${options.warmUpDays}`);
    const used = matches.filter((match) => match.kickoffAtMs < asOfMs);
    if (used.length === 0) throw new RangeError('No matches kick off before asOfMs: nothing to fit');
    const system = this.#createSystem();
    const features = system.update(used);
    let firstKickoffAtMs = Number.POSITIVE_INFINITY;
    for (const match of used) if (match.kickoffAtMs < firstKickoffAtMs) firstKickoffAtMs = match.kickoffAtMs;
    const trainingStartMs = firstKickoffAtMs + warmUpMs;
    let rows = 0;
    for (const match of used) if (match.kickoffAtMs >= trainingStartMs) rows++;
    if (rows === 0) throw new RangeError(`All ${used.length} matches fall in the ${options.warmUpDays}-day warm-up: nothing to fit`);
    const trainingFeatures = new Float64Array(rows);
    const outcomes = new Int32Array(rows);
    let row = 0;
    for (let i = 0; i < used.length; i++) {
      const match = used[i]!;
      if (match.kickoffAtMs < trainingStartMs) continue;
      trainingFeatures[row] = features[i]!;
      outcomes[row] = outcomeOf(match.homeGoals, match.awayGoals);
      row++;
    }
    this.#logit = OrderedLogit.fit(trainingFeatures, outcomes);
    this.#system = system;
    return this;
  }

  /** Home/draw/away probabilities for a fixture from the fitted ratings. */
  predict(homeTeam: string, awayTeam: string): OneXTwoProbabilities {
    return this.orderedLogit.probabilities(this.ratings.predictFeature(homeTeam, awayTeam));
  }

  /** The rating system as of the last fitted match (for snapshots and expected scores). */
  get ratings(): System {
    if (this.#system === undefined) throw new Error('RatingModel: call fit() before reading ratings');
    return this.#system;
  }

  /** The fitted probability layer (cut-points, coefficient, convergence). */
  get orderedLogit(): OrderedLogit {
    if (this.#logit === undefined) throw new Error('RatingModel: call fit() before predicting');
    return this.#logit;
  }
}
