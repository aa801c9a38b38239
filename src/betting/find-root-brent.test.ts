import { describe, expect, it } from 'vitest';
import { findRootBrent } from './find-root-brent.js';

describe('findRootBrent', () => {
  it('finds known roots to the requested tolerance', () => {
    const sqrt2 = findRootBrent((x) => x * x - 2, 0, 2, { xTolerance: 1e-15 });
    expect(sqrt2.converged).toBe(true);
    expect(Math.abs(sqrt2.root - Math.SQRT2)).toBeLessThan(1e-15);
    // cos x = x: the Dottie number.
    const dottie = findRootBrent((x) => Math.cos(x) - x, 0, 1, { xTolerance: 1e-15 });
    expect(Math.abs(dottie.root - 0.7390851332151607)).toBeLessThan(1e-15);
  });

  it('takes the same steps as scipy.optimize.brentq', () => {
    // scipy 1.10: brentq(lambda x: math.exp(x) - 10, 0, 10, xtol=1e-14) -> 2.3025850929940455 in 13 iterations.
    const smooth = findRootBrent((x) => Math.exp(x) - 10, 0, 10, { xTolerance: 1e-14 });
    expect(smooth.root).toBe(2.3025850929940455);
    expect(smooth.iterations).toBe(13);
    // (x − 0.3)^9 is flat near its root, so interpolation keeps being rejected for bisection; scipy needs
    // 111 iterations (maxiter=1000) and stops at 0.30000000000020566.
    const flat = findRootBrent((x) => Math.pow(x - 0.3, 9), -1, 4, { xTolerance: 1e-12, maxIterations: 1000 });
    expect(flat.converged).toBe(true);
    expect(flat.iterations).toBe(111);
    expect(Math.abs(flat.root - 0.30000000000020566)).toBeLessThan(1e-15);
  });

  it('returns an end point that is already a root, and reports running out of iterations', () => {
    expect(findRootBrent((x) => x - 1, 1, 3).root).toBe(1);
    // With scipy's default 100 iterations the flat case above does not converge (scipy raises); we report it.
    const capped = findRootBrent((x) => Math.pow(x - 0.3, 9), -1, 4, { xTolerance: 1e-12 });
    expect(capped.converged).toBe(false);
    expect(capped.iterations).toBe(100);
  });

  it('rejects an interval that does not bracket a root, and NaN values', () => {
    expect(() => findRootBrent((x) => x * x + 1, -1, 1)).toThrow(/same sign/);
    expect(() => findRootBrent(() => Number.NaN, 0, 1)).toThrow(/NaN/);
    expect(() => findRootBrent((x) => x, -1, 1, { relativeTolerance: 0 })).toThrow(RangeError);
  });
});
