import { describe, expect, it } from 'vitest';
import { HistogramBuilder } from './histogram-builder.js';
import { SplitCandidate, SplitFinder, type SplitFinderSettings } from './split-finder.js';
import { splitGain } from './split-gain.js';

const BINS = 256;
const MISSING = 255;

function settings(overrides: Partial<SplitFinderSettings> = {}): SplitFinderSettings {
  return {
    nonMissingBins: Int32Array.of(6),
    hasMissing: Uint8Array.of(0),
    categorical: Uint8Array.of(0),
    missingBin: MISSING,
    binsPerFeature: BINS,
    l2Regularization: 0,
    minSamplesLeaf: 1,
    minHessianToSplit: 1e-3,
    ...overrides,
  };
}

function bestSplit(bins: number[], gradients: number[], hessians: number[], s: SplitFinderSettings): SplitCandidate {
  const builder = new HistogramBuilder(Uint8Array.from(bins), 1, BINS);
  const slot = builder.acquire();
  builder.buildAll(slot, bins.length, Float64Array.from(gradients), Float64Array.from(hessians));
  const sumG = gradients.reduce((a, b) => a + b, 0);
  const sumH = hessians.reduce((a, b) => a + b, 0);
  const best = new SplitCandidate();
  new SplitFinder(s).find(builder.histogram(slot), sumG, sumH, bins.length, best);
  return best;
}

describe('splitGain', () => {
  it('matches G_L²/H_L + G_R²/H_R − G²/H worked by hand', () => {
    // G_L = −4, H_L = 3, G_R = 5, H_R = 3: 16/3 + 25/3 − 1/6 = 13.5.
    expect(splitGain(-4, 3, 5, 3, 0)).toBeCloseTo(13.5, 12);
    // With λ = 1: 16/4 + 25/4 − 1/7.
    expect(splitGain(-4, 3, 5, 3, 1)).toBeCloseTo(10.25 - 1 / 7, 12);
    // A split that separates nothing gains nothing.
    expect(splitGain(1, 2, 2, 4, 0)).toBeCloseTo(0, 12);
  });
});

describe('SplitFinder', () => {
  // Six rows in bins 0…5, unit hessians, gradients −2 −1 −1 | 1 1 3: the best cut is after bin 2.
  const bins = [0, 1, 2, 3, 4, 5];
  const gradients = [-2, -1, -1, 1, 1, 3];
  const hessians = [1, 1, 1, 1, 1, 1];

  it('finds the hand-computed best numeric split and its gain', () => {
    const best = bestSplit(bins, gradients, hessians, settings());
    expect(best.feature).toBe(0);
    expect(best.bin).toBe(2);
    expect(best.gain).toBeCloseTo(13.5, 12);
    expect([best.sumGradientsLeft, best.sumHessiansLeft, best.countLeft]).toEqual([-4, 3, 3]);
    expect([best.sumGradientsRight, best.sumHessiansRight, best.countRight]).toEqual([5, 3, 3]);
    expect(best.missingLeft).toBe(false);
  });

  it('respects minSamplesLeaf: with 4 rows per leaf required there is no split of 6 rows', () => {
    const best = bestSplit(bins, gradients, hessians, settings({ minSamplesLeaf: 4 }));
    expect(best.feature).toBe(-1);
  });

  it('sends missing values to the side that gains more (right-to-left scan)', () => {
    // Two missing rows with gradient −3 each look like the left side, so they should join it:
    // left = bins 0…2 + missing: G = −10, H = 5; right: G = 5, H = 3; parent G = −5, H = 8.
    const best = bestSplit(
      [...bins, MISSING, MISSING],
      [...gradients, -3, -3],
      [...hessians, 1, 1],
      settings({ hasMissing: Uint8Array.of(1) }),
    );
    expect(best.bin).toBe(2);
    expect(best.missingLeft).toBe(true);
    expect(best.gain).toBeCloseTo(100 / 5 + 25 / 3 - 25 / 8, 12);
    expect(best.countLeft).toBe(5);
  });

  it('orders categories by gradient/hessian ratio and sends the best-separated group left', () => {
    // 4 categories × 12 rows; per-row gradients +1, −1, +0.5, −0.5. Sorted: 1, 3, 2, 0, and the
    // best split puts {1, 3} left: G_L = −18, H_L = 24 against G_R = 18, H_R = 24 → gain 27.
    const catBins: number[] = [];
    const catGradients: number[] = [];
    const perCategory = [1, -1, 0.5, -0.5];
    for (let c = 0; c < 4; c++) {
      for (let i = 0; i < 12; i++) {
        catBins.push(c);
        catGradients.push(perCategory[c]!);
      }
    }
    const best = bestSplit(
      catBins,
      catGradients,
      catBins.map(() => 1),
      settings({ nonMissingBins: Int32Array.of(4), categorical: Uint8Array.of(1) }),
    );
    expect(best.categorical).toBe(true);
    expect(best.gain).toBeCloseTo(27, 12);
    expect(best.leftBins[0]).toBe((1 << 1) | (1 << 3));
    expect(best.countLeft).toBe(24);
  });

  it('leaves categories with fewer than 10 rows of support out of the ordering (always right)', () => {
    // Category 2 has 5 rows only: it cannot go left even though its gradient is the most negative.
    const catBins = [...Array<number>(12).fill(0), ...Array<number>(12).fill(1), ...Array<number>(5).fill(2)];
    const catGradients = [...Array<number>(12).fill(1), ...Array<number>(12).fill(-1), ...Array<number>(5).fill(-2)];
    const best = bestSplit(
      catBins,
      catGradients,
      catBins.map(() => 1),
      settings({ nonMissingBins: Int32Array.of(3), categorical: Uint8Array.of(1) }),
    );
    expect(best.leftBins[0]! & (1 << 2)).toBe(0);
  });
});
