import { describe, expect, it } from 'vitest';
import { accuracy } from './accuracy.js';
import { brierScore } from './brier-score.js';
import { logLoss } from './log-loss.js';
import { rankedProbabilityScore } from './ranked-probability-score.js';
import { type BinStrategy, reliabilityTable } from './reliability-table.js';

describe('input checks', () => {
  const good = Float64Array.of(0.5, 0.3, 0.2, 0.1, 0.1, 0.8);
  it('rejects rows that do not sum to one, NaN, bad outcomes and ragged shapes instead of skipping them', () => {
    expect(() => rankedProbabilityScore(Float64Array.of(0.5, 0.3, 0.3), Int32Array.of(0))).toThrow(/Row 0.*sum/);
    expect(() => logLoss(Float64Array.of(0.5, Number.NaN, 0.5), Int32Array.of(0))).toThrow(/Row 0/);
    expect(() => brierScore(good, Int32Array.of(0, 3))).toThrow(/Row 1: outcome 3/);
    expect(() => accuracy(good, Int32Array.of(0, 1, 2, 0))).toThrow(/whole number of rows/);
    expect(() => accuracy(new Float64Array(0), new Int32Array(0))).toThrow(/zero rows/);
    expect(() => reliabilityTable(good, Int32Array.of(0, 1), { target: 3 })).toThrow(/target class 3/);
    expect(() => reliabilityTable(good, Int32Array.of(0, 1), { target: 0, bins: 0 })).toThrow(/bins/);
    expect(() =>
      reliabilityTable(good, Int32Array.of(0, 1), { target: 0, strategy: 'equal' as BinStrategy }),
    ).toThrow(/strategy/);
  });
});
