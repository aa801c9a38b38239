import { logFactorial } from './log-factorial.js';

/** log P(K = k) for K ~ Poisson(rate); k a non-negative integer, rate ≥ 0 (−Infinity outside the support). */
export function poissonLogPmf(k: number, rate: number): number {
  if (!(rate >= 0) || !(k >= 0) || !Number.isInteger(k)) return Number.NaN;
  // 0 · log 0 is taken as 0 so that a zero rate puts all its mass on k = 0.
  if (rate === 0) return k === 0 ? 0 : Number.NEGATIVE_INFINITY;
  return k * Math.log(rate) - rate - logFactorial(k);
}

/**
 * Writes P(K = 0..count − 1) for K ~ Poisson(rate) into `out` (default: all of it) and returns `out`.
 * Each term comes from log space, so large rates do not underflow the way exp(−rate)·rate^k/k! does.
 */
export function poissonPmfInto(rate: number, out: Float64Array, count = out.length): Float64Array {
  if (!(rate >= 0)) throw new RangeError(`poissonPmfInto: rate must be a number >= 0, got ${rate}`);
  if (!Number.isInteger(count) || count < 0 || count > out.length) {
    throw new RangeError(`poissonPmfInto: count must be an integer from 0 to out.length (${out.length}), got ${count}`);
  }
  if (rate === 0) {
    for (let k = 0; k < count; k++) out[k] = k === 0 ? 1 : 0;
    return out;
  }
  const logRate = Math.log(rate);
  for (let k = 0; k < count; k++) out[k] = Math.exp(k * logRate - rate - logFactorial(k));
  return out;
}
