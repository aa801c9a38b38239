import { ScoreGrid } from '../score-grid.js';
import { dixonColesNegativeLogLikelihood } from './dixon-coles-likelihood.js';
import type { GoalModelData } from './goal-model-data.js';
import { GoalModel, type GoalModelOptions } from './goal-model.js';

/**
 * Dixon & Coles (1997): team attack/defence Poisson rates with home advantage, a low-score
 * dependence rho (tau correction of 0-0, 1-0, 0-1, 1-1) and exponential time decay xi per day.
 * `new DixonColes().fit(matches).predict(home, away)` gives the ScoreGrid every market derives from.
 */
export class DixonColes extends GoalModel {
  readonly name = 'dixon-coles';
  protected readonly extraParameterNames = ['rho'] as const;

  /** Options: xi (per day, default 0.0019), maxGoals (default 10), shrinkage and optimiser settings. */
  constructor(options: GoalModelOptions = {}) {
    super('DixonColes', options);
  }

  protected initialExtraParameters(): readonly number[] {
    return [0];
  }

  protected negativeLogLikelihood(data: GoalModelData, params: Float64Array, gradient: Float64Array): number {
    return dixonColesNegativeLogLikelihood(data, params, gradient);
  }

  protected scoreGrid(homeRate: number, awayRate: number, extra: Float64Array): ScoreGrid {
    return ScoreGrid.fromRates(homeRate, awayRate, { rho: feasibleRho(extra[0]!, homeRate, awayRate), maxGoals: this.maxGoals });
  }
}

/**
 * rho limited to where every tau stays a valid weight for these rates: 1 − λμρ, 1 + λρ, 1 + μρ and
 * 1 − ρ all ≥ 0. The fit only sees rates of matches that were played; a lopsided fixture (λ = 4.3)
 * with a rho fitted on few matches (−0.32) would otherwise give a negative 0-1 probability.
 */
export function feasibleRho(rho: number, homeRate: number, awayRate: number): number {
  const lower = Math.max(-1 / homeRate, -1 / awayRate);
  const upper = Math.min(1, 1 / (homeRate * awayRate));
  return Math.min(upper, Math.max(lower, rho));
}
