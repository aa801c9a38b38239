import { ScoreGrid } from '../score-grid.js';
import type { GoalModelData } from './goal-model-data.js';
import { GoalModel, type GoalModelOptions } from './goal-model.js';
import { poissonNegativeLogLikelihood } from './poisson-likelihood.js';

/**
 * Independent Poisson goals (Maher 1982) with team attack/defence, home advantage and the same
 * exponential time decay as Dixon-Coles: the baseline Dixon-Coles must beat.
 */
export class PoissonGoalModel extends GoalModel {
  readonly name = 'poisson';
  protected readonly extraParameterNames = [] as const;

  /** Options: xi (per day, default 0.0019), maxGoals (default 10), shrinkage and optimiser settings. */
  constructor(options: GoalModelOptions = {}) {
    super('PoissonGoalModel', options);
  }

  protected initialExtraParameters(): readonly number[] {
    return [];
  }

  protected negativeLogLikelihood(data: GoalModelData, params: Float64Array, gradient: Float64Array): number {
    return poissonNegativeLogLikelihood(data, params, gradient);
  }

  protected scoreGrid(homeRate: number, awayRate: number): ScoreGrid {
    return ScoreGrid.fromRates(homeRate, awayRate, { maxGoals: this.maxGoals });
  }
}
