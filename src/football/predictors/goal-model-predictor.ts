import type { OneXTwoPredictor, PredictorSpec } from '../backtest/one-x-two-predictor.js';
import type { Fixture, OneXTwoProbabilities, PlayedMatch } from '../football-match.js';
import { DixonColes } from '../models/dixon-coles.js';
import type { GoalModel, GoalModelOptions } from '../models/goal-model.js';
import { PoissonGoalModel } from '../models/poisson-goal-model.js';

/** Goal models fitted on fewer matches than this abstain (a few rounds cannot separate 20 teams). */
const MIN_MATCHES = 100;

/**
 * Adapts a goal model to the backtest: each weekly refit warm-starts from the previous week's
 * parameters (same teams, slightly different weights), which is what makes refits cheap.
 */
export class GoalModelPredictor implements OneXTwoPredictor {
  readonly #create: () => GoalModel;
  #model: GoalModel | undefined;

  constructor(create: () => GoalModel) {
    this.#create = create;
  }

  fit(history: readonly PlayedMatch[], asOfMs: number): void {
    if (history.length < MIN_MATCHES) {
      this.#model = undefined;
      return;
    }
    const model = this.#create();
    model.fit(history, { asOfMs, ...(this.#model ? { warmStart: this.#model } : {}) });
    this.#model = model;
  }

  predict(fixture: Fixture): OneXTwoProbabilities | undefined {
    return this.#model?.predict(fixture.homeTeam, fixture.awayTeam).oneXTwo();
  }

  /** The last fitted model (for score grids and parameters), if any. */
  get model(): GoalModel | undefined {
    return this.#model;
  }
}

/**
 * Walk-forward refits stop at a relative objective change of 1e-10 (the models default to 1e-12 for
 * reference checks): the 1X2 difference is far below what a week of new results moves.
 */
const WALK_FORWARD_TOLERANCE = { valueTolerance: 1e-10 } as const;

/** Dixon-Coles with time decay `xi` per day. */
export function dixonColesPredictorSpec(options: GoalModelOptions = {}): PredictorSpec {
  return {
    name: 'dixon-coles',
    label: `Dixon-Coles (attack/defence, home advantage, low-score rho, time decay xi=${options.xi ?? 0.0019}/day)`,
    create: () => new GoalModelPredictor(() => new DixonColes({ ...WALK_FORWARD_TOLERANCE, ...options })),
  };
}

/** Independent Poisson goals with the same ratings and decay, without the low-score correction. */
export function poissonPredictorSpec(options: GoalModelOptions = {}): PredictorSpec {
  return {
    name: 'poisson',
    label: `independent Poisson (attack/defence, home advantage, time decay xi=${options.xi ?? 0.0019}/day)`,
    create: () => new GoalModelPredictor(() => new PoissonGoalModel({ ...WALK_FORWARD_TOLERANCE, ...options })),
  };
}
