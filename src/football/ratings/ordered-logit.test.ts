import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OrderedLogit } from './ordered-logit.js';

interface ReferenceCase {
  name: string;
  featureCount: number;
  features: number[];
  outcomes: number[];
  cutPoints: [number, number];
  coefficients: number[];
  logLikelihood: number;
  grid: number[];
  gridProbabilities: number[];
}

// Written by bench/reference/ordered_logit_reference.py (scipy BFGS + Newton polish, direct cut-points).
const reference = JSON.parse(
  readFileSync(new URL('./fixtures/ordered-logit-reference.json', import.meta.url), 'utf8'),
) as { cases: ReferenceCase[] };

describe.each(reference.cases)('OrderedLogit.fit against scipy: $name', (c) => {
  const model = OrderedLogit.fit(Float64Array.from(c.features), Int32Array.from(c.outcomes), {
    featureCount: c.featureCount,
  });

  it('finds the same maximum-likelihood coefficients (1e-5) and log-likelihood', () => {
    expect(model.converged).toBe(true);
    expect(Math.abs(model.cutPoints[0] - c.cutPoints[0])).toBeLessThan(1e-5);
    expect(Math.abs(model.cutPoints[1] - c.cutPoints[1])).toBeLessThan(1e-5);
    for (let k = 0; k < c.featureCount; k++) {
      expect(Math.abs(model.coefficients[k]! - c.coefficients[k]!)).toBeLessThan(1e-5);
      // Also relative: on the Elo scale β ≈ 0.005, where an absolute 1e-5 alone would allow a 0.2 % error.
      expect(Math.abs(model.coefficients[k]! / c.coefficients[k]! - 1)).toBeLessThan(1e-5);
    }
    expect(Math.abs(model.logLikelihood - c.logLikelihood)).toBeLessThan(1e-8);
  });

  it('gives the same home/draw/away probabilities (1e-6) one at a time and in batch', () => {
    const grid = Float64Array.from(c.grid);
    const batch = model.predictInto(grid);
    for (let i = 0; i < c.grid.length / c.featureCount; i++) {
      const row = c.grid.slice(i * c.featureCount, (i + 1) * c.featureCount);
      const single = model.probabilities(row);
      const expected = c.gridProbabilities.slice(i * 3, i * 3 + 3);
      expect(Math.abs(single.home - expected[0]!)).toBeLessThan(1e-6);
      expect(Math.abs(single.draw - expected[1]!)).toBeLessThan(1e-6);
      expect(Math.abs(single.away - expected[2]!)).toBeLessThan(1e-6);
      expect(single.home + single.draw + single.away).toBeCloseTo(1, 14);
      expect([batch[i * 3], batch[i * 3 + 1], batch[i * 3 + 2]]).toEqual([single.home, single.draw, single.away]);
    }
  });
});

describe('OrderedLogit', () => {
  const model = OrderedLogit.fromParameters([-0.5, 0.6], [0.005]);

  it('makes the home win likelier and the away win rarer as the feature grows', () => {
    const weak = model.probabilities(-200);
    const strong = model.probabilities(400);
    expect(strong.home).toBeGreaterThan(weak.home);
    expect(strong.away).toBeLessThan(weak.away);
  });

  it('keeps a tiny but positive draw probability at extreme features instead of rounding to 0 or going negative', () => {
    const lopsided = model.probabilities(20_000);
    expect(lopsided.draw).toBeGreaterThan(0);
    // σ(0.6 − 100) − σ(−0.5 − 100) ≈ e^{−99.4} − e^{−100.5}
    expect(lopsided.draw / (Math.exp(-99.4) - Math.exp(-100.5))).toBeCloseTo(1, 10);
  });

  it('refuses training data that cannot identify the model', () => {
    const x = Float64Array.of(1, 2, 3, 4);
    expect(() => OrderedLogit.fit(x, Int32Array.of(0, 0, 2, 2))).toThrow(/No draw/);
    expect(() => OrderedLogit.fit(Float64Array.of(5, 5, 5), Int32Array.of(0, 1, 2))).toThrow(/constant/);
    expect(() => OrderedLogit.fit(x, Int32Array.of(0, 1, 2, 3))).toThrow(/Row 3: outcome 3/);
    expect(() => OrderedLogit.fromParameters([1, 0], [0.1])).toThrow(/increase/);
    expect(() => model.probabilities([1, 2])).toThrow(/Expected 1 feature/);
  });
});
