import type { OneXTwoPredictor, PredictorSpec } from '../backtest/one-x-two-predictor.js';
import type { Fixture, OneXTwoProbabilities, PlayedMatch } from '../football-match.js';
import { EloModel } from '../ratings/elo-model.js';
import { PiRatingModel } from '../ratings/pi-rating-model.js';

/** Rating models fitted on fewer matches than this abstain rather than guess. */
const MIN_MATCHES = 100;
/**
 * The first year of each training window (at most a third of it, early in a league's history) only
 * warms the ratings up: the ordered logit learns from pre-match rating differences after that,
 * when ratings have had time to separate.
 */
const WARM_UP_DAYS = 365;
const DAY_MS = 86_400_000;

type RatingModelLike = {
  fit(matches: readonly PlayedMatch[], options: { asOfMs: number; warmUpDays: number }): unknown;
  predict(home: string, away: string): OneXTwoProbabilities;
};

/** Adapts a rating model (Elo, pi-ratings) to the backtest's fit-on-history / predict-a-fixture shape. */
class RatingPredictor implements OneXTwoPredictor {
  readonly #create: () => RatingModelLike;
  #model: RatingModelLike | undefined;

  constructor(create: () => RatingModelLike) {
    this.#create = create;
  }

  fit(history: readonly PlayedMatch[], asOfMs: number): void {
    if (history.length < MIN_MATCHES) {
      this.#model = undefined;
      return;
    }
    const spanDays = (history[history.length - 1]!.kickoffAtMs - history[0]!.kickoffAtMs) / DAY_MS;
    const model = this.#create();
    model.fit(history, { asOfMs, warmUpDays: Math.min(WARM_UP_DAYS, spanDays / 3) });
    this.#model = model;
  }

  predict(fixture: Fixture): OneXTwoProbabilities | undefined {
    return this.#model?.predict(fixture.homeTeam, fixture.awayTeam);
  }
}

/** Elo with goal-difference weighting and home advantage, mapped to 1X2 by an ordered logit. */
export const eloPredictorSpec: PredictorSpec = {
  name: 'elo',
  label: 'Elo ratings (goal-difference weighted, home advantage) + ordered logit',
  create: () => new RatingPredictor(() => new EloModel()),
};

/** Constantinou & Fenton pi-ratings, mapped to 1X2 by an ordered logit. */
export const piRatingPredictorSpec: PredictorSpec = {
  name: 'pi-ratings',
  label: 'pi-ratings (separate home/away ratings in goals) + ordered logit',
  create: () => new RatingPredictor(() => new PiRatingModel()),
};
