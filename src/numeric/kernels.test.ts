import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { logFactorial } from './log-factorial.js';
import { logGamma } from './log-gamma.js';
import { neumaierSum } from './neumaier-sum.js';
import { poissonLogPmf, poissonPmfInto } from './poisson.js';

interface KernelsFixture {
  logGamma: [number, number][];
  logFactorial: [number, number][];
  poissonLogPmf: [number, number, number][];
  poissonPmfVectors: { rate: number; pmf: number[] }[];
}
const fixture = JSON.parse(
  fs.readFileSync(new URL('./fixtures/kernels-reference.json', import.meta.url), 'utf8'),
) as KernelsFixture;

/** |actual − expected| ≤ tolerance · max(1, |expected|): relative for large values, absolute near 0. */
function expectClose(actual: number, expected: number, tolerance: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(expected)));
}

describe('logGamma (vs scipy.special.gammaln)', () => {
  it.each(fixture.logGamma)('logGamma(%d) = %d to 1e-13', (x, expected) => {
    expectClose(logGamma(x), expected, 1e-13);
  });
  it('is exactly 0 at 1 and 2 and Infinity at the poles', () => {
    expect(logGamma(1)).toBe(0);
    expect(logGamma(2)).toBe(0);
    expect(logGamma(0)).toBe(Number.POSITIVE_INFINITY);
    expect(logGamma(-3)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('logFactorial (vs scipy gammaln(n + 1))', () => {
  it.each(fixture.logFactorial)('logFactorial(%d) = %d to 1e-14', (n, expected) => {
    expectClose(logFactorial(n), expected, 1e-14);
  });
  it('is NaN off the non-negative integers', () => {
    expect(logFactorial(-1)).toBeNaN();
    expect(logFactorial(2.5)).toBeNaN();
  });
});

describe('poisson (vs scipy.stats.poisson)', () => {
  // k·log(rate) − rate − log k! cancels terms of size ~rate, in scipy as here, so the error allowed
  // scales with them: 1e-13 at football rates, ~1e-12 at rate 800.
  const cancellationScale = (k: number, rate: number): number => 1 + Math.abs(k * Math.log(rate)) + rate + logFactorial(k);
  it.each(fixture.poissonLogPmf)('log pmf(%d; rate %d) = %d to 2e-14 of the cancelled terms', (k, rate, expected) => {
    expect(Math.abs(poissonLogPmf(k, rate) - expected)).toBeLessThanOrEqual(2e-14 * cancellationScale(k, rate));
  });
  it('puts all mass on 0 for rate 0', () => {
    expect(poissonLogPmf(0, 0)).toBe(0);
    expect(poissonLogPmf(2, 0)).toBe(Number.NEGATIVE_INFINITY);
    expect(Array.from(poissonPmfInto(0, new Float64Array(3)))).toEqual([1, 0, 0]);
  });
  it.each(fixture.poissonPmfVectors.map((v) => [v.rate, v.pmf.length, v.pmf] as const))(
    'pmf vector for rate %d, %d terms, to 2e-14 relative per unit of cancelled log terms',
    (rate, count, pmf) => {
      const out = poissonPmfInto(rate, new Float64Array(count + 2), count);
      for (let k = 0; k < count; k++) {
        // Relative error, also for tail terms far below 1 (which a naive recurrence from e^−rate loses).
        const tolerance = 2e-14 * cancellationScale(k, rate);
        expect(Math.abs(out[k]! - pmf[k]!)).toBeLessThanOrEqual(tolerance * pmf[k]! + 1e-300);
      }
      expect(out[count]).toBe(0);
    },
  );
  it('rejects a negative rate and a count beyond the buffer', () => {
    expect(() => poissonPmfInto(-1, new Float64Array(3))).toThrow(RangeError);
    expect(() => poissonPmfInto(1, new Float64Array(3), 4)).toThrow(/count/);
  });
});

describe('neumaierSum', () => {
  it('keeps the small terms a plain sum loses', () => {
    const values = new Float64Array([1, 1e100, 1, -1e100]);
    let naive = 0;
    for (const v of values) naive += v;
    expect(naive).toBe(0);
    expect(neumaierSum(values)).toBe(2);
  });
  it('sums 0.1 a million times to the nearest double of 1e5, where a plain loop is 1e-6 off', () => {
    const values = new Float64Array(1_000_000).fill(0.1);
    let naive = 0;
    for (let i = 0; i < values.length; i++) naive += values[i]!;
    expect(Math.abs(naive - 1e5)).toBeGreaterThan(1e-7);
    // The stored 0.1 is 0.1000000000000000055…, so the exact sum is 1e5 + 5.6e-12: below half an ulp of 1e5.
    expect(neumaierSum(values)).toBe(1e5);
  });
  it('sums a sub-range', () => {
    expect(neumaierSum([1, 2, 3, 4], 1, 3)).toBe(5);
  });
});
