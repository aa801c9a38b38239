import { describe, expect, it } from 'vitest';
import { reliabilityTable, reliabilityTables } from './reliability-table.js';

describe('reliability bins', () => {
  it('puts a probability that sits exactly on an edge into the bin above, and 1.0 into the last', () => {
    const probabilities = Float64Array.of(0.3, 0.7, 1, 0, 0.25, 0.75);
    const outcomes = Int32Array.of(0, 0, 1);
    const table = reliabilityTable(probabilities, outcomes, { bins: 10, strategy: 'uniform', target: 0 });
    expect(table.bins[3]).toEqual({ lower: 0.3, upper: 0.4, count: 1, meanPredicted: 0.3, observedFrequency: 1 });
    expect(table.bins[9]!.count).toBe(1);
    expect(table.bins[2]!.count).toBe(1);
    expect(table.bins[0]!).toEqual({ lower: 0, upper: 0.1, count: 0, meanPredicted: null, observedFrequency: null });
  });

  it('gives one table per class, each binning every row', () => {
    const probabilities = Float64Array.of(0.7, 0.2, 0.1, 0.2, 0.5, 0.3, 0.1, 0.1, 0.8, 0.3, 0.3, 0.4);
    const outcomes = Int32Array.of(0, 1, 2, 1);
    const tables = reliabilityTables(probabilities, outcomes, { bins: 4, strategy: 'quantile' });
    expect(tables.map((table) => table.target)).toEqual([0, 1, 2]);
    for (const table of tables) expect(table.bins.reduce((sum, bin) => sum + bin.count, 0)).toBe(4);
  });
});
