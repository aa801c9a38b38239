import { logGamma } from '../../numeric/log-gamma.js';
import { goldenSectionMinimum } from '../../numeric/golden-section.js';

/** A Beta(α, β) prior written as its mean μ = α/(α+β) and concentration κ = α+β (pseudo-attempts). */
export interface BetaPrior {
  readonly mean: number;
  readonly concentration: number;
}

/** Concentrations searched, in pseudo-attempts: from barely shrinking to pooling everyone. */
const MIN_CONCENTRATION = 2;
const MAX_CONCENTRATION = 5_000;
/** Golden-section steps on log κ: the bracket shrinks to ~1e-4 of its width, far below what matters. */
const GOLDEN_STEPS = 24;

/** log B(a, b) = lnΓ(a) + lnΓ(b) − lnΓ(a + b). */
function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/**
 * Beta-binomial log marginal likelihood of groups (makes k_i of n_i attempts) under Beta(μκ, (1−μ)κ),
 * without the binomial coefficients, which do not depend on the prior.
 */
export function betaBinomialLogLikelihood(makes: ArrayLike<number>, attempts: ArrayLike<number>, groups: number, prior: BetaPrior): number {
  const alpha = prior.mean * prior.concentration;
  const beta = prior.concentration - alpha;
  const base = logBeta(alpha, beta);
  let total = 0;
  for (let i = 0; i < groups; i++) {
    const n = attempts[i]!;
    if (n <= 0) continue;
    const k = makes[i]!;
    total += logBeta(k + alpha, n - k + beta) - base;
  }
  return total;
}

/**
 * Empirical-Bayes prior for make rates of many groups (players in a zone, teams in a zone): the mean
 * is the pooled rate and the concentration maximises the beta-binomial marginal likelihood, so it
 * is large (strong shrinkage) when groups differ little beyond binomial noise and small when they
 * really differ. With no attempts at all, returns `fallback`.
 */
export function fitBetaPrior(makes: ArrayLike<number>, attempts: ArrayLike<number>, groups: number, fallback: BetaPrior): BetaPrior {
  let totalMakes = 0;
  let totalAttempts = 0;
  let used = 0;
  for (let i = 0; i < groups; i++) {
    if (attempts[i]! <= 0) continue;
    totalMakes += makes[i]!;
    totalAttempts += attempts[i]!;
    used++;
  }
  if (totalAttempts === 0) return fallback;
  // A pooled rate of exactly 0 or 1 has no Beta prior; nudge it inside by half an attempt.
  const mean = Math.min(Math.max(totalMakes / totalAttempts, 0.5 / (totalAttempts + 1)), 1 - 0.5 / (totalAttempts + 1));
  if (used < 2) return { mean, concentration: MAX_CONCENTRATION };
  // Maximise the likelihood over log κ: minimise its negative.
  const negativeScore = (logKappa: number) => -betaBinomialLogLikelihood(makes, attempts, groups, { mean, concentration: Math.exp(logKappa) });
  const logKappa = goldenSectionMinimum(negativeScore, Math.log(MIN_CONCENTRATION), Math.log(MAX_CONCENTRATION), GOLDEN_STEPS);
  return { mean, concentration: Math.exp(logKappa) };
}

/** Posterior mean make rate of a group with `makes` of `attempts` under the prior. */
export function shrunkRate(prior: BetaPrior, makes: number, attempts: number): number {
  return (prior.mean * prior.concentration + makes) / (prior.concentration + attempts);
}
