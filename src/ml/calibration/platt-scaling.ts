import { minimizeLbfgs } from '../../numeric/lbfgs.js';
import { MlError } from '../ml-error.js';

/** Parameters of p = 1 / (1 + exp(a · score + b)); a < 0 when higher scores mean more likely. */
export interface PlattParameters {
  readonly a: number;
  readonly b: number;
}

/**
 * Platt scaling (Platt 1999, as scikit-learn's _sigmoid_calibration): fits a and b by weighted
 * maximum likelihood against Platt's smoothed targets (N₊ + 1)/(N₊ + 2) for positives and
 * 1/(N₋ + 2) for negatives, which keeps a perfectly separated slice from driving a to infinity.
 * Same objective and starting point as scikit-learn, minimised by L-BFGS to a gradient of 1e-10
 * or rounding level (scikit-learn's BFGS stops at 1e-5).
 */
export function fitPlattScaling(scores: Float64Array, outcomes: Int32Array, weights: Float64Array | null): PlattParameters {
  const rows = scores.length;
  for (let r = 0; r < rows; r++) {
    if (!Number.isFinite(scores[r]!)) throw new MlError('TIPSTER_ERR_ML_FEATURE_INVALID', `Row ${r}: Platt score ${scores[r]} is not finite`);
  }
  let negatives = 0;
  let positives = 0;
  for (let r = 0; r < rows; r++) {
    const w = weights === null ? 1 : weights[r]!;
    if (outcomes[r]! > 0) positives += w;
    else negatives += w;
  }
  const positiveTarget = (positives + 1) / (positives + 2);
  const negativeTarget = 1 / (negatives + 2);
  const totalWeight = positives + negatives;
  // Mean rather than sum of the losses: same minimiser, gradient tolerance independent of row count.
  const objective = (ab: Float64Array, gradient: Float64Array): number => {
    const a = ab[0]!;
    const b = ab[1]!;
    let loss = 0;
    let compensation = 0;
    let gradientA = 0;
    let gradientB = 0;
    for (let r = 0; r < rows; r++) {
      const w = weights === null ? 1 : weights[r]!;
      const target = outcomes[r]! > 0 ? positiveTarget : negativeTarget;
      const s = a * scores[r]! + b;
      const e = Math.exp(s >= 0 ? -s : s);
      // P = 1/(1 + e^s); loss = −T·log P − (1−T)·log(1−P) = softplus(s) − (1−T)·s; ∂/∂s = T − P.
      const term = w * ((s > 0 ? s : 0) + Math.log1p(e) - (1 - target) * s);
      const p = s >= 0 ? e / (1 + e) : 1 / (1 + e);
      const next = loss + term;
      compensation += Math.abs(loss) >= Math.abs(term) ? loss - next + term : term - next + loss;
      loss = next;
      gradientA += w * (target - p) * scores[r]!;
      gradientB += w * (target - p);
    }
    gradient[0] = gradientA / totalWeight;
    gradient[1] = gradientB / totalWeight;
    return (loss + compensation) / totalWeight;
  };
  const start = Float64Array.of(0, Math.log((negatives + 1) / (positives + 1)));
  const result = minimizeLbfgs(objective, start, { gradientTolerance: 1e-10, valueTolerance: 1e-15, maxIterations: 1000 });
  // A failed line search at a tiny gradient means rounding noise, i.e. the optimum is reached.
  if (!result.converged && !(result.status === 'line-search-failed' && result.gradientNorm < 1e-7)) {
    // Two smooth parameters from a sensible start: failing here means degenerate input, not bad luck.
    throw new MlError('TIPSTER_ERR_ML_FEATURE_INVALID', `Platt scaling did not converge: ${result.message}`);
  }
  return Object.freeze({ a: result.x[0]!, b: result.x[1]! });
}

/** Calibrated probability of a score under fitted Platt parameters. */
export function plattProbability(parameters: PlattParameters, score: number): number {
  const s = parameters.a * score + parameters.b;
  const e = Math.exp(s >= 0 ? -s : s);
  return s >= 0 ? e / (1 + e) : 1 / (1 + e);
}
