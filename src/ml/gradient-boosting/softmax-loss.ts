import type { BoostingLoss } from './boosting-loss.js';
import { softmaxGradientRows } from './gradient-kernels.js';
import { weightedClassShare } from './weighted-class-share.js';

/**
 * Multiclass cross-entropy on one raw score per class and row (softmax link, one tree per class
 * per iteration); see softmaxGradientRows.
 */
export function createSoftmaxLoss(classes: number): BoostingLoss {
  return Object.freeze({
    classes,
    treesPerIteration: classes,

    baseline(labels: Int32Array, weights: Float64Array | null): Float64Array {
      // Symmetric link: log p_k minus the mean log, so the scores sum to zero.
      const out = new Float64Array(classes);
      let meanLog = 0;
      for (let k = 0; k < classes; k++) {
        const p = Math.min(Math.max(weightedClassShare(labels, weights, k), Number.EPSILON), 1 - Number.EPSILON);
        out[k] = Math.log(p);
        meanLog += out[k]!;
      }
      meanLog /= classes;
      for (let k = 0; k < classes; k++) out[k]! -= meanLog;
      return out;
    },

    gradientKernel: 'softmax',

    computeGradients(
      raw: Float64Array,
      labels: Int32Array,
      weights: Float64Array | null,
      gradients: Float64Array,
      hessians: Float64Array,
      start: number,
      end: number,
    ): void {
      softmaxGradientRows(raw, labels, weights, gradients, hessians, start, end);
    },

    meanLoss(raw: Float64Array, labels: Int32Array, weights: Float64Array | null): number {
      let sum = 0;
      let compensation = 0;
      let weightSum = 0;
      const rows = labels.length;
      for (let r = 0; r < rows; r++) {
        let max = raw[r]!;
        for (let k = 1; k < classes; k++) if (raw[k * rows + r]! > max) max = raw[k * rows + r]!;
        let total = 0;
        for (let k = 0; k < classes; k++) total += Math.exp(raw[k * rows + r]! - max);
        const w = weights === null ? 1 : weights[r]!;
        // −log softmax_y = log Σ exp(raw_k) − raw_y, shifted by the max so nothing overflows.
        const term = w * (Math.log(total) + max - raw[labels[r]! * rows + r]!);
        const next = sum + term;
        compensation += Math.abs(sum) >= Math.abs(term) ? sum - next + term : term - next + sum;
        sum = next;
        weightSum += w;
      }
      return (sum + compensation) / weightSum;
    },

    probabilities(raw: Float64Array, rows: number, out: Float64Array): void {
      for (let r = 0; r < rows; r++) {
        let max = raw[r]!;
        for (let k = 1; k < classes; k++) if (raw[k * rows + r]! > max) max = raw[k * rows + r]!;
        let total = 0;
        for (let k = 0; k < classes; k++) {
          const e = Math.exp(raw[k * rows + r]! - max);
          out[r * classes + k] = e;
          total += e;
        }
        for (let k = 0; k < classes; k++) out[r * classes + k]! /= total;
      }
    },
  });
}
