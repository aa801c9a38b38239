import { describe, expect, it } from 'vitest';
import { logarithmicPool } from './logarithmic-pool.js';
import { mulberry32 as rng } from '../../numeric/mulberry32.js';

/** n matches whose true log-odds (vs draw) are drawn at random; outcomes sampled from the truth. */
function synthetic(n: number, seed: number) {
  const random = rng(seed);
  const truth = new Float64Array(n * 2);
  const outcomes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const lh = 1.5 * (random() - 0.3);
    const la = 1.5 * (random() - 0.6);
    truth[2 * i] = lh;
    truth[2 * i + 1] = la;
    const z = Math.exp(lh) + 1 + Math.exp(la);
    const u = random() * z;
    outcomes[i] = u < Math.exp(lh) ? 0 : u < Math.exp(lh) + 1 ? 1 : 2;
  }
  return { truth, outcomes };
}

describe('logarithmicPool', () => {
  it('learns that an under-confident forecaster should be sharpened (weight ≈ 1 / temper)', () => {
    const { truth, outcomes } = synthetic(20_000, 7);
    const flat = truth.map((x) => x * 0.5); // log-odds halved: too timid
    const pool = logarithmicPool({ l2: 1e-6 })(flat, 20_000, 2, outcomes);
    const [w, bHome, bAway] = pool.weights();
    expect(w).toBeGreaterThan(1.85);
    expect(w).toBeLessThan(2.15);
    expect(Math.abs(bHome!)).toBeLessThan(0.06);
    expect(Math.abs(bAway!)).toBeLessThan(0.06);
  });

  it('ignores a useless second forecaster and is pulled to the prior by a strong penalty', () => {
    const { truth, outcomes } = synthetic(5_000, 11);
    const random = rng(99);
    const rows = new Float64Array(5_000 * 4);
    for (let i = 0; i < 5_000; i++) {
      rows[4 * i] = truth[2 * i]!;
      rows[4 * i + 1] = truth[2 * i + 1]!;
      rows[4 * i + 2] = random() - 0.5; // noise
      rows[4 * i + 3] = random() - 0.5;
    }
    const free = logarithmicPool({ l2: 1e-6 })(rows, 5_000, 4, outcomes).weights();
    expect(free[0]).toBeGreaterThan(0.85);
    expect(Math.abs(free[1]!)).toBeLessThan(0.15);
    const anchored = logarithmicPool({ l2: 100 })(rows, 5_000, 4, outcomes).weights();
    expect(anchored[0]).toBeCloseTo(1, 2);
    expect(anchored[1]).toBeCloseTo(0, 2);
  });

  it('returns probabilities that sum to one', () => {
    const { truth, outcomes } = synthetic(500, 3);
    const p = logarithmicPool()(truth, 500, 2, outcomes).predict(Float64Array.of(0.4, -0.2));
    expect(p.home + p.draw + p.away).toBeCloseTo(1, 14);
    expect(p.home).toBeGreaterThan(p.away);
  });
});
