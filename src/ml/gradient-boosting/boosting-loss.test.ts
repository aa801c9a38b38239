import { describe, expect, it } from 'vitest';
import { boostingLoss } from './boosting-loss.js';

/** Central difference of rows · meanLoss with respect to raw[i]: the per-row gradient when unweighted. */
function numericGradient(classes: number, raw: Float64Array, labels: Int32Array, i: number): number {
  const loss = boostingLoss(classes);
  const step = 1e-6;
  const plus = Float64Array.from(raw);
  const minus = Float64Array.from(raw);
  plus[i]! += step;
  minus[i]! -= step;
  return ((loss.meanLoss(plus, labels, null) - loss.meanLoss(minus, labels, null)) * labels.length) / (2 * step);
}

describe('binary log loss', () => {
  const loss = boostingLoss(2);
  const raw = Float64Array.of(-40, -2, 0, 0.7, 3, 40);
  const labels = Int32Array.of(0, 1, 1, 0, 1, 1);

  it('starts from the log-odds of the class-1 share', () => {
    expect(loss.baseline(Int32Array.of(1, 0, 0, 0), null)[0]).toBeCloseTo(Math.log(0.25 / 0.75), 15);
    // Weighted: 3 of 4 units of weight are class 1.
    expect(loss.baseline(Int32Array.of(1, 0), Float64Array.of(3, 1))[0]).toBeCloseTo(Math.log(3), 15);
  });

  it('has gradient p − y matching a finite difference, and hessian p(1 − p), in both tails', () => {
    const g = new Float64Array(raw.length);
    const h = new Float64Array(raw.length);
    loss.computeGradients(raw, labels, null, g, h, 0, labels.length);
    for (let i = 0; i < raw.length; i++) {
      const p = 1 / (1 + Math.exp(-raw[i]!));
      expect(g[i]!).toBeCloseTo(p - labels[i]!, 14);
      expect(h[i]!).toBeCloseTo(p * (1 - p), 14);
      expect(g[i]!).toBeCloseTo(numericGradient(2, raw, labels, i), 6);
    }
  });

  it('computes the mean log loss without overflow at extreme scores', () => {
    // softplus(x) − y·x, evaluated naively (exp(±40) is still finite) as the reference.
    const expected = Array.from(raw, (x, i) => Math.log1p(Math.exp(x)) - labels[i]! * x);
    const mean = expected.reduce((a, b) => a + b, 0) / expected.length;
    expect(loss.meanLoss(raw, labels, null)).toBeCloseTo(mean, 14);
    const out = new Float64Array(4);
    loss.probabilities(Float64Array.of(-800, 800), 2, out);
    expect(Array.from(out)).toEqual([1, 0, 0, 1]);
  });
});

describe('softmax cross-entropy', () => {
  const loss = boostingLoss(3);
  // Class-major: 3 classes × 2 rows.
  const raw = Float64Array.of(0.5, -1, 2, 0.1, -0.3, 30);
  const labels = Int32Array.of(1, 2);

  it('starts from log class shares centred to sum to zero', () => {
    const base = loss.baseline(Int32Array.of(0, 0, 1, 2), null);
    const logs = [Math.log(0.5), Math.log(0.25), Math.log(0.25)];
    const mean = (logs[0]! + logs[1]! + logs[2]!) / 3;
    expect(Array.from(base).map((v, k) => v - (logs[k]! - mean))).toEqual([0, 0, 0].map(() => expect.closeTo(0, 14)));
  });

  it('has gradient p_k − [y = k] matching a finite difference and hessian p_k(1 − p_k)', () => {
    const g = new Float64Array(6);
    const h = new Float64Array(6);
    loss.computeGradients(raw, labels, null, g, h, 0, labels.length);
    for (let r = 0; r < 2; r++) {
      const logits = [raw[r]!, raw[2 + r]!, raw[4 + r]!];
      const max = Math.max(...logits);
      const total = logits.reduce((s, v) => s + Math.exp(v - max), 0);
      for (let k = 0; k < 3; k++) {
        const p = Math.exp(logits[k]! - max) / total;
        expect(g[k * 2 + r]!).toBeCloseTo(p - (labels[r] === k ? 1 : 0), 14);
        expect(h[k * 2 + r]!).toBeCloseTo(p * (1 - p), 14);
        expect(g[k * 2 + r]!).toBeCloseTo(numericGradient(3, raw, labels, k * 2 + r), 6);
      }
    }
  });

  it('writes row-major probabilities that sum to 1', () => {
    const out = new Float64Array(6);
    loss.probabilities(raw, 2, out);
    expect(out[0]! + out[1]! + out[2]!).toBeCloseTo(1, 15);
    expect(out[5]!).toBeCloseTo(1, 12);
  });
});
