import { binaryLogLoss } from './binary-log-loss.js';
import type { GradientKernel } from './gradient-kernels.js';
import { createSoftmaxLoss } from './softmax-loss.js';

/**
 * A differentiable classification loss in raw-score (link) space. Raw scores, gradients and
 * hessians are class-major: tree k of an iteration reads [k · rows, (k + 1) · rows).
 */
export interface BoostingLoss {
  readonly classes: number;
  /** Trees grown per boosting iteration: 1 for binary, one per class for multiclass. */
  readonly treesPerIteration: number;
  /** Raw scores of the best constant model (one per tree of an iteration). */
  baseline(labels: Int32Array, weights: Float64Array | null): Float64Array;
  /** The per-row kernel behind computeGradients, which helper threads run on their share of rows. */
  readonly gradientKernel: GradientKernel;
  /** Writes the (weighted) gradients and hessians of rows [start, end) at `raw` into preallocated buffers. */
  computeGradients(
    raw: Float64Array,
    labels: Int32Array,
    weights: Float64Array | null,
    gradients: Float64Array,
    hessians: Float64Array,
    start: number,
    end: number,
  ): void;
  /** Weighted mean loss in nats (the log loss of the implied probabilities). */
  meanLoss(raw: Float64Array, labels: Int32Array, weights: Float64Array | null): number;
  /** Row-major rows × classes probabilities from class-major raw scores. */
  probabilities(raw: Float64Array, rows: number, out: Float64Array): void;
}

/** Binary log loss for two classes, softmax cross-entropy for more. */
export function boostingLoss(classes: number): BoostingLoss {
  return classes === 2 ? binaryLogLoss : createSoftmaxLoss(classes);
}
