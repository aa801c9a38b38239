/**
 * Per-row gradient and hessian kernels of the boosting losses, over rows [start, end) so helper
 * threads can share the work. Like the histogram kernels they use nothing outside their own body:
 * helper threads run them from their source text.
 */

/** Names the kernels, so a helper thread knows which one a fit uses. */
export const GRADIENT_KERNELS = ['binary', 'softmax'] as const;
/** One of GRADIENT_KERNELS. */
export type GradientKernel = (typeof GRADIENT_KERNELS)[number];

/**
 * Binary log loss on the log-odds: gradient w(p − y), hessian w·p(1 − p) with p = sigmoid(raw),
 * computed from exp(−|raw|) so neither tail overflows, and with one division per row.
 */
export function binaryGradientRows(
  raw: Float64Array,
  labels: Int32Array,
  weights: Float64Array | null,
  gradients: Float64Array,
  hessians: Float64Array,
  start: number,
  end: number,
): void {
  for (let r = start; r < end; r++) {
    const x = raw[r]!;
    const e = Math.exp(x >= 0 ? -x : x);
    const inverse = 1 / (1 + e);
    const p = x >= 0 ? inverse : e * inverse;
    const w = weights === null ? 1 : weights[r]!;
    gradients[r] = w * (p - labels[r]!);
    hessians[r] = w * e * inverse * inverse;
  }
}

/**
 * Softmax cross-entropy on class-major raw scores (class k of row r at k · rows + r): gradient
 * w(p_k − [y = k]) and the diagonal hessian w·p_k(1 − p_k), as scikit-learn.
 */
export function softmaxGradientRows(
  raw: Float64Array,
  labels: Int32Array,
  weights: Float64Array | null,
  gradients: Float64Array,
  hessians: Float64Array,
  start: number,
  end: number,
): void {
  const rows = labels.length;
  const classes = raw.length / rows;
  for (let r = start; r < end; r++) {
    let max = raw[r]!;
    for (let k = 1; k < classes; k++) if (raw[k * rows + r]! > max) max = raw[k * rows + r]!;
    let total = 0;
    // The exponentials wait in `gradients` until their sum is known.
    for (let k = 0; k < classes; k++) {
      const e = Math.exp(raw[k * rows + r]! - max);
      gradients[k * rows + r] = e;
      total += e;
    }
    const w = weights === null ? 1 : weights[r]!;
    const label = labels[r]!;
    const inverse = 1 / total;
    for (let k = 0; k < classes; k++) {
      const p = gradients[k * rows + r]! * inverse;
      gradients[k * rows + r] = w * (p - (k === label ? 1 : 0));
      hessians[k * rows + r] = w * p * (1 - p);
    }
  }
}
