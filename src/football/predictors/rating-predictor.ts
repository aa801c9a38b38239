import type { OneXTwoPredictor, PredictorSpec } from '../backtest/one-x-two-predictor.js';
import type { Fixture, OneXTwoProbabilities, PlayedMatch } from '../football-match.js';
import { outcomeOf } from '../football-match.js';
import { EloRatings } from '../ratings/elo-ratings.js';
import { OrderedLogit } from '../ratings/ordered-logit.js';
import { PiRatings } from '../ratings/pi-ratings.js';
import type { RatingSystem } from '../ratings/rating-system.js';

/** Fewer window matches than this and the ordered logit would be guesswork: abstain. */
const MIN_MATCHES = 100;
/**
 * Matches rated in the system's first year only warm the ratings up (every team starts level), so
 * their pre-match rating differences are not used to fit the ordered logit.
 */
const WARM_UP_MS = 365 * 86_400_000;

/**
 * A rating system (Elo, pi-ratings) plus an ordered-logit layer, run incrementally across refits:
 * the ratings learn each finished match once, over the whole past, and each match's PRE-match
 * rating difference is kept; a refit only fits the ordered logit on the window's matches.
 */
class RatingPredictor implements OneXTwoPredictor {
  readonly #system: RatingSystem;
  readonly #rows = new Map<number, { feature: number; outcome: number; kickoffAtMs: number }>();
  #firstKickoffMs = Number.NaN;
  #lastKickoffMs = Number.NEGATIVE_INFINITY;
  #logit: OrderedLogit | undefined;

  constructor(system: RatingSystem) {
    this.#system = system;
  }

  fit(history: readonly PlayedMatch[], asOfMs: number): void {
    for (const match of history) {
      if (this.#rows.has(match.matchId) || match.kickoffAtMs < this.#lastKickoffMs) continue;
      if (Number.isNaN(this.#firstKickoffMs)) this.#firstKickoffMs = match.kickoffAtMs;
      const [feature] = this.#system.update([match]);
      this.#rows.set(match.matchId, { feature: feature!, outcome: outcomeOf(match.homeGoals, match.awayGoals), kickoffAtMs: match.kickoffAtMs });
      this.#lastKickoffMs = match.kickoffAtMs;
    }
    const windowStartMs = history[0]?.kickoffAtMs ?? asOfMs;
    for (const [id, row] of this.#rows) if (row.kickoffAtMs < windowStartMs) this.#rows.delete(id);
    // Early in a league's history the warm-up shrinks to a third of what there is.
    const warmUpEndMs = this.#firstKickoffMs + Math.min(WARM_UP_MS, (this.#lastKickoffMs - this.#firstKickoffMs) / 3);
    const used = history.filter((m) => m.kickoffAtMs >= warmUpEndMs && this.#rows.has(m.matchId));
    if (history.length < MIN_MATCHES || used.length < MIN_MATCHES / 2) {
      this.#logit = undefined;
      return;
    }
    const features = Float64Array.from(used, (m) => this.#rows.get(m.matchId)!.feature);
    const outcomes = Int32Array.from(used, (m) => this.#rows.get(m.matchId)!.outcome);
    this.#logit = OrderedLogit.fit(features, outcomes);
  }

  predict(fixture: Fixture): OneXTwoProbabilities | undefined {
    return this.#logit?.probabilities(this.#system.predictFeature(fixture.homeTeam, fixture.awayTeam));
  }
}

/** Elo with goal-difference weighting and home advantage, mapped to 1X2 by an ordered logit. */
export const eloPredictorSpec: PredictorSpec = {
  name: 'elo',
  label: 'Elo ratings (goal-difference weighted, home advantage) + ordered logit',
  create: () => new RatingPredictor(new EloRatings()),
};

/** Constantinou & Fenton pi-ratings, mapped to 1X2 by an ordered logit. */
export const piRatingPredictorSpec: PredictorSpec = {
  name: 'pi-ratings',
  label: 'pi-ratings (separate home/away ratings in goals) + ordered logit',
  create: () => new RatingPredictor(new PiRatings()),
};
