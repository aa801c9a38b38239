import type { GoalModelData } from './goal-model-data.js';

/**
 * Weighted negative log-likelihood of independent Poisson goals, and its gradient written into
 * `gradient`, at `params` = [attack(n), defence(n), intercept, home]:
 * log λ = intercept + home + attack[h] + defence[a], log μ = intercept + attack[a] + defence[h].
 */
export function poissonNegativeLogLikelihood(data: GoalModelData, params: Float64Array, gradient: Float64Array): number {
  const n = data.teamCount;
  const { homeIndex, awayIndex, homeGoals, awayGoals, weights, matchCount } = data;
  const intercept = params[2 * n]!;
  const homeAdvantage = params[2 * n + 1]!;
  gradient.fill(0);
  let gradientIntercept = 0;
  let gradientHome = 0;
  // Neumaier-compensated Σ w·loglik: ~1,000 terms of mixed sign.
  let sum = 0;
  let compensation = 0;
  for (let m = 0; m < matchCount; m++) {
    const h = homeIndex[m]!;
    const a = awayIndex[m]!;
    const x = homeGoals[m]!;
    const y = awayGoals[m]!;
    const w = weights[m]!;
    const etaHome = intercept + homeAdvantage + params[h]! + params[n + a]!;
    const etaAway = intercept + params[a]! + params[n + h]!;
    const lambda = Math.exp(etaHome);
    const mu = Math.exp(etaAway);
    const term = w * (x * etaHome - lambda + y * etaAway - mu);
    const next = sum + term;
    compensation += Math.abs(sum) >= Math.abs(term) ? sum - next + term : term - next + sum;
    sum = next;
    // d(−loglik)/dη for each side's linear predictor.
    const dHome = w * (lambda - x);
    const dAway = w * (mu - y);
    gradient[h]! += dHome;
    gradient[n + a]! += dHome;
    gradient[a]! += dAway;
    gradient[n + h]! += dAway;
    gradientIntercept += dHome + dAway;
    gradientHome += dHome;
  }
  gradient[2 * n] = gradientIntercept;
  gradient[2 * n + 1] = gradientHome;
  return data.logFactorialSum - (sum + compensation);
}
