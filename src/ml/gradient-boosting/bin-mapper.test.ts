import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createFeatureMatrix } from '../dataset.js';
import { BinMapper, numericThresholds } from './bin-mapper.js';

interface BinningCase {
  readonly name: string;
  readonly maxBins: number;
  readonly values: (number | null)[];
  readonly thresholds: number[];
  readonly bins: number[];
}

// Written by bench/reference/gbt_reference.py from scikit-learn 1.2's _BinMapper.
const fixture = JSON.parse(
  fs.readFileSync(new URL('./fixtures/binning-reference.json', import.meta.url), 'utf8'),
) as { cases: BinningCase[] };

describe('numeric binning against scikit-learn _BinMapper', () => {
  for (const c of fixture.cases) {
    it(`${c.name}: identical bin edges and bins`, () => {
      const column = Float64Array.from(c.values, (v) => v ?? NaN);
      // Exact equality: the midpoint-percentile arithmetic is reproduced operation by operation.
      expect(Array.from(numericThresholds(column, c.maxBins))).toEqual(c.thresholds);
      const mapper = BinMapper.fit(createFeatureMatrix({ featureNames: ['x'], values: column }), c.maxBins);
      expect(Array.from(mapper.transform(createFeatureMatrix({ featureNames: ['x'], values: column })))).toEqual(c.bins);
      expect(mapper.hasMissing[0]).toBe(c.values.includes(null) ? 1 : 0);
    });
  }

  it('bins every value, including edges themselves and values beyond them, as "thresholds below x"', () => {
    // Heavy-tailed with ties, so the lookup grid is uneven and some edges repeat.
    const train = Float64Array.from({ length: 3000 }, (_, i) => Math.round(Math.exp(4 * Math.sin(i * 12.9898)) * 10) / 10);
    const mapper = BinMapper.fit(createFeatureMatrix({ featureNames: ['x'], values: train }));
    const edges = mapper.thresholds[0]!;
    const probes = [-1e9, 1e9, 0, ...train.slice(0, 500)];
    for (const t of edges) probes.push(t, t * (1 + 1e-15) + 1e-300, t * (1 - 1e-15) - 1e-300);
    const binned = mapper.transform(createFeatureMatrix({ featureNames: ['x'], values: Float64Array.from(probes) }));
    const wrong = probes.filter((x, i) => binned[i] !== edges.filter((t) => t < x).length);
    expect(wrong).toEqual([]);
  });

  it('puts missing values in bin maxBins and values above every edge in the last present bin', () => {
    const train = createFeatureMatrix({ featureNames: ['x'], values: Float64Array.of(1, 2, 3, NaN) });
    const mapper = BinMapper.fit(train, 255);
    expect(Array.from(mapper.thresholds[0]!)).toEqual([1.5, 2.5]);
    expect(mapper.nonMissingBins[0]).toBe(3);
    const probe = createFeatureMatrix({ featureNames: ['x'], values: Float64Array.of(-100, 1.5, 1.6, 99, NaN) });
    expect(Array.from(mapper.transform(probe))).toEqual([0, 0, 1, 2, 255]);
  });
});

describe('categorical binning', () => {
  it('gives each known code its own bin in sorted order and sends unseen codes to the missing bin', () => {
    const train = createFeatureMatrix({
      featureNames: ['zone'],
      featureKinds: ['categorical'],
      values: Float64Array.of(7, 3, 3, 12, NaN, 7),
    });
    const mapper = BinMapper.fit(train);
    expect(Array.from(mapper.categories[0]!)).toEqual([3, 7, 12]);
    expect(mapper.nonMissingBins[0]).toBe(3);
    const probe = createFeatureMatrix({ featureNames: ['zone'], featureKinds: ['categorical'], values: Float64Array.of(12, 3, 5, 400, NaN) });
    expect(Array.from(mapper.transform(probe))).toEqual([2, 0, 255, 255, 255]);
  });

  it('refuses more categories than bins', () => {
    const values = Float64Array.from({ length: 300 }, (_, i) => i);
    const train = createFeatureMatrix({ featureNames: ['player'], featureKinds: ['categorical'], values });
    expect(() => BinMapper.fit(train)).toThrow(/300 categories; at most 255/);
  });
});
