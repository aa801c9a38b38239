import type { GoalModelData } from './goal-model-data.js';

/**
 * Weighted Dixon-Coles negative log-likelihood, and its analytic gradient written into `gradient`,
 * at `params` = [attack(n), defence(n), intercept, home, rho]. Rates as in the Poisson model; the
 * four low scores are reweighted by tau (Dixon & Coles 1997). Returns +Infinity where some
 * observed low score gets tau ≤ 0, outside the model's domain, so a line search steps back.
 */
export function dixonColesNegativeLogLikelihood(data: GoalModelData, params: Float64Array, gradient: Float64Array): number {
  const n = data.teamCount;
  const { homeIndex, awayIndex, homeGoals, awayGoals, weights, matchCount } = data;
  const intercept = params[2 * n]!;
  const homeAdvantage = params[2 * n + 1]!;
  const rho = params[2 * n + 2]!;
  gradient.fill(0);
  let gradientIntercept = 0;
  let gradientHome = 0;
  let gradientRho = 0;
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
    let loglik = x * etaHome - lambda + y * etaAway - mu;
    // d loglik / dη = goals − rate, plus rate · ∂log tau/∂rate for the low scores.
    let dEtaHome = x - lambda;
    let dEtaAway = y - mu;
    if (x <= 1 && y <= 1) {
      let tau: number;
      if (x === 0 && y === 0) {
        const product = lambda * mu;
        tau = 1 - product * rho;
        dEtaHome -= (product * rho) / tau;
        dEtaAway -= (product * rho) / tau;
        gradientRho += (w * product) / tau;
      } else if (x === 0) {
        tau = 1 + lambda * rho;
        dEtaHome += (lambda * rho) / tau;
        gradientRho -= (w * lambda) / tau;
      } else if (y === 0) {
        tau = 1 + mu * rho;
        dEtaAway += (mu * rho) / tau;
        gradientRho -= (w * mu) / tau;
      } else {
        tau = 1 - rho;
        gradientRho += w / tau;
      }
      if (!(tau > 0)) return Number.POSITIVE_INFINITY;
      loglik += Math.log(tau);
    }
    const term = w * loglik;
    const next = sum + term;
    compensation += Math.abs(sum) >= Math.abs(term) ? sum - next + term : term - next + sum;
    sum = next;
    const dHome = -w * dEtaHome;
    const dAway = -w * dEtaAway;
    gradient[h]! += dHome;
    gradient[n + a]! += dHome;
    gradient[a]! += dAway;
    gradient[n + h]! += dAway;
    gradientIntercept += dHome + dAway;
    gradientHome += dHome;
  }
  gradient[2 * n] = gradientIntercept;
  gradient[2 * n + 1] = gradientHome;
  gradient[2 * n + 2] = gradientRho;
  return data.logFactorialSum - (sum + compensation);
}
