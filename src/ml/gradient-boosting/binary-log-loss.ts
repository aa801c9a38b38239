import type { BoostingLoss } from './boosting-loss.js';
import { binaryGradientRows } from './gradient-kernels.js';
import { weightedClassShare } from './weighted-class-share.js';

/** Keeps the baseline log-odds finite when the training set holds a single class (scikit-learn's clip). */
const BASELINE_CLIP = 10 * Number.EPSILON;

/** Binary log loss on one raw score per row (the log-odds of class 1); see binaryGradientRows. */
export const binaryLogLoss: BoostingLoss = Object.freeze({
  classes: 2,
  treesPerIteration: 1,

  baseline(labels: Int32Array, weights: Float64Array | null): Float64Array {
    const share = weightedClassShare(labels, weights, 1);
    const p = Math.min(Math.max(share, BASELINE_CLIP), 1 - BASELINE_CLIP);
    return Float64Array.of(Math.log(p / (1 - p)));
  },

  gradientKernel: 'binary',

  computeGradients(
    raw: Float64Array,
    labels: Int32Array,
    weights: Float64Array | null,
    gradients: Float64Array,
    hessians: Float64Array,
    start: number,
    end: number,
  ): void {
    binaryGradientRows(raw, labels, weights, gradients, hessians, start, end);
  },

  meanLoss(raw: Float64Array, labels: Int32Array, weights: Float64Array | null): number {
    let sum = 0;
    let compensation = 0;
    let weightSum = 0;
    const rows = labels.length;
    for (let r = 0; r < rows; r++) {
      const x = raw[r]!;
      // softplus(x) − y·x, with softplus(x) = max(x, 0) + log1p(exp(−|x|)).
      const w = weights === null ? 1 : weights[r]!;
      const term = w * ((x > 0 ? x : 0) + Math.log1p(Math.exp(x >= 0 ? -x : x)) - labels[r]! * x);
      const next = sum + term;
      compensation += Math.abs(sum) >= Math.abs(term) ? sum - next + term : term - next + sum;
      sum = next;
      weightSum += w;
    }
    return (sum + compensation) / weightSum;
  },

  probabilities(raw: Float64Array, rows: number, out: Float64Array): void {
    for (let r = 0; r < rows; r++) {
      const x = raw[r]!;
      const e = Math.exp(x >= 0 ? -x : x);
      const p = x >= 0 ? 1 / (1 + e) : e / (1 + e);
      out[2 * r] = 1 - p;
      out[2 * r + 1] = p;
    }
  },
});
