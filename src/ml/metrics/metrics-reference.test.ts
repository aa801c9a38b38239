import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { accuracy } from './accuracy.js';
import { brierScore, brierScorePerRow } from './brier-score.js';
import { expectedCalibrationError } from './expected-calibration-error.js';
import { logLoss, logLossPerRow } from './log-loss.js';
import { rankedProbabilityScore, rpsPerRow } from './ranked-probability-score.js';
import { type BinStrategy, reliabilityTable } from './reliability-table.js';

interface ReferenceBin {
  lower: number;
  upper: number;
  count: number;
  meanPredicted: number | null;
  observedFrequency: number | null;
}
interface ReferenceCase {
  name: string;
  classes: number;
  probabilities: number[];
  outcomes: number[];
  rpsPerRow: number[];
  logLossPerRow: number[];
  brierPerRow: number[];
  rps: number;
  logLoss: number;
  brier: number;
  accuracy: number;
  reliability: {
    target: number | 'top-label' | 'classwise';
    bins: number;
    strategy: BinStrategy;
    table?: ReferenceBin[];
    ece: number;
  }[];
}
interface Reference {
  logLossClip: number;
  cases: ReferenceCase[];
  constantinouFenton2012: { probabilities: number[]; outcomes: number[]; rpsPerRow: number[]; rps: number };
}

// Written by bench/reference/metrics_reference.py (numpy, by definition).
const reference = JSON.parse(
  readFileSync(new URL('./fixtures/metrics-reference.json', import.meta.url), 'utf8'),
) as Reference;

const TOLERANCE = 1e-12;

function expectClose(actual: ArrayLike<number>, expected: readonly number[], tolerance = TOLERANCE): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const gap = Math.abs(actual[i]! - expected[i]!);
    if (!(gap <= tolerance)) expect.fail(`index ${i}: ${actual[i]} vs reference ${expected[i]} (gap ${gap})`);
  }
}

describe('Constantinou & Fenton (2012) RPS examples', () => {
  it('match the numpy reference row by row', () => {
    const classic = reference.constantinouFenton2012;
    const probabilities = Float64Array.from(classic.probabilities);
    const outcomes = Int32Array.from(classic.outcomes);
    expectClose(rpsPerRow(probabilities, outcomes), classic.rpsPerRow);
    expectClose([rankedProbabilityScore(probabilities, outcomes)], [classic.rps]);
  });
});

describe.each(reference.cases)('metrics against numpy: $name', (c) => {
  const probabilities = Float64Array.from(c.probabilities);
  const outcomes = Int32Array.from(c.outcomes);

  it('matches per-row and mean RPS, log loss and Brier to 1e-12', () => {
    expectClose(rpsPerRow(probabilities, outcomes), c.rpsPerRow);
    expectClose(logLossPerRow(probabilities, outcomes), c.logLossPerRow);
    expectClose(brierScorePerRow(probabilities, outcomes), c.brierPerRow);
    expectClose([rankedProbabilityScore(probabilities, outcomes)], [c.rps]);
    expectClose([logLoss(probabilities, outcomes)], [c.logLoss]);
    expectClose([brierScore(probabilities, outcomes)], [c.brier]);
    expect(accuracy(probabilities, outcomes)).toBe(c.accuracy);
  });

  it('matches every reliability table and ECE (uniform and quantile bins) to 1e-12', () => {
    for (const entry of c.reliability) {
      const options = { bins: entry.bins, strategy: entry.strategy };
      const ece = expectedCalibrationError(probabilities, outcomes, { ...options, target: entry.target });
      expectClose([ece], [entry.ece]);
      if (entry.table === undefined || entry.target === 'classwise') continue;
      const table = reliabilityTable(probabilities, outcomes, { ...options, target: entry.target });
      expect(table.bins.map((bin) => bin.count)).toEqual(entry.table.map((bin) => bin.count));
      expectClose(table.bins.map((bin) => bin.lower), entry.table.map((bin) => bin.lower));
      expectClose(table.bins.map((bin) => bin.upper), entry.table.map((bin) => bin.upper));
      expectClose(table.bins.map((bin) => bin.meanPredicted ?? -1), entry.table.map((bin) => bin.meanPredicted ?? -1));
      expectClose(
        table.bins.map((bin) => bin.observedFrequency ?? -1),
        entry.table.map((bin) => bin.observedFrequency ?? -1),
      );
      expect(table.rows).toBe(outcomes.length);
    }
  });
});

