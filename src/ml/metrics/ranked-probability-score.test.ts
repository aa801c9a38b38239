import { describe, expect, it } from 'vitest';
import { brierScore } from './brier-score.js';
import { rankedProbabilityScore, rpsPerRow } from './ranked-probability-score.js';

describe('ranked probability score', () => {
  it('reproduces the Constantinou & Fenton (2012) worked examples', () => {
    // Outcome index in (home, draw, away) order, as published (reproduced in penaltyblog's docs).
    const probabilities = Float64Array.of(
      1, 0, 0, 0.9, 0.1, 0, 0.8, 0.1, 0.1, 0.5, 0.25, 0.25, 0.35, 0.3, 0.35,
      0.6, 0.3, 0.1, 0.6, 0.25, 0.15, 0.6, 0.15, 0.25, 0.57, 0.33, 0.1, 0.6, 0.2, 0.2,
    );
    const outcomes = Int32Array.of(0, 0, 0, 0, 1, 1, 0, 0, 0, 0);
    const perRow = rpsPerRow(probabilities, outcomes);
    // Published values (home win unless noted): (1,0,0) 0; (.9,.1,0) .005; (.8,.1,.1) .025;
    // (.5,.25,.25) .15625; draw with (.35,.3,.35) .1225; draw with (.6,.3,.1) .185; …; mean .08937.
    const published = [0, 0.005, 0.025, 0.15625, 0.1225, 0.185, 0.09125, 0.11125, 0.09745, 0.1];
    for (let i = 0; i < published.length; i++) expect(Math.abs(perRow[i]! - published[i]!)).toBeLessThan(1e-12);
    expect(rankedProbabilityScore(probabilities, outcomes)).toBeCloseTo(0.08937, 12);
  });

  it('punishes a forecast more the further its mass sits from the result (unlike Brier)', () => {
    // Home win observed; both forecasts give home 0.5, one puts the rest on the draw, one on the away win.
    const outcomes = Int32Array.of(0);
    const nearMiss = rankedProbabilityScore(Float64Array.of(0.5, 0.5, 0), outcomes);
    const farMiss = rankedProbabilityScore(Float64Array.of(0.5, 0, 0.5), outcomes);
    expect(nearMiss).toBeCloseTo(0.125, 15);
    expect(farMiss).toBeCloseTo(0.25, 15);
    expect(brierScore(Float64Array.of(0.5, 0.5, 0), outcomes)).toBeCloseTo(
      brierScore(Float64Array.of(0.5, 0, 0.5), outcomes),
      15,
    );
  });

  it('writes per-row scores into a caller-provided buffer', () => {
    const good = Float64Array.of(0.5, 0.3, 0.2, 0.1, 0.1, 0.8);
    const out = new Float64Array(2);
    expect(rpsPerRow(good, Int32Array.of(0, 2), out)).toBe(out);
    expect(() => rpsPerRow(good, Int32Array.of(0, 2), new Float64Array(3))).toThrow(/out has length 3/);
  });
});
