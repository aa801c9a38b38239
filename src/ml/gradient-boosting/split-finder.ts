import { HISTOGRAM_STRIDE } from './histogram-kernels.js';
import { HESSIAN_EPSILON } from './split-gain.js';

/** 32-bit words of a bitset over 256 bins. */
export const BIN_BITSET_WORDS = 8;

/**
 * Smoothing of the per-category gradient/hessian ratio and the least hessian (in sample units) a
 * category needs to be ordered at all (LightGBM's cat_smooth; scikit-learn hard-codes 10 too).
 */
const MIN_CATEGORY_SUPPORT = 10;

/** G_L²/H_L + G_R²/H_R with one division (the scans evaluate it for every bin of every feature). */
function childrenGain(gl: number, hl: number, gr: number, hr: number): number {
  return (gl * gl * hr + gr * gr * hl) / (hl * hr);
}

/** The best split of a node found so far; reused across nodes so split search allocates nothing. */
export class SplitCandidate {
  gain = 0;
  feature = -1;
  /** Numeric: rows with bin ≤ this go left. */
  bin = 0;
  missingLeft = false;
  categorical = false;
  /** Categorical: bitset of the bins that go left (including the missing bin when missing goes left). */
  readonly leftBins = new Uint32Array(BIN_BITSET_WORDS);
  sumGradientsLeft = 0;
  sumHessiansLeft = 0;
  countLeft = 0;
  sumGradientsRight = 0;
  sumHessiansRight = 0;
  countRight = 0;

  /** Forgets the previous node's split. */
  reset(): void {
    this.gain = 0;
    this.feature = -1;
  }
}

/** What the split finder needs to know about the features and the growth constraints. */
export interface SplitFinderSettings {
  readonly nonMissingBins: Int32Array;
  readonly hasMissing: Uint8Array;
  readonly categorical: Uint8Array;
  readonly missingBin: number;
  readonly binsPerFeature: number;
  readonly l2Regularization: number;
  readonly minSamplesLeaf: number;
  readonly minHessianToSplit: number;
}

/**
 * Finds a node's best split from its histogram, as scikit-learn's Splitter does: numeric features
 * are scanned left to right (missing go right) and, when the feature had missing values in
 * training, right to left (missing go left); categorical features are ordered by smoothed
 * gradient/hessian ratio and scanned from both ends up to the middle (Fisher 1958, LightGBM).
 */
export class SplitFinder {
  readonly #s: SplitFinderSettings;
  readonly #features: number;
  readonly #catBins: Int32Array;
  readonly #catValues: Float64Array;

  constructor(settings: SplitFinderSettings) {
    this.#s = settings;
    this.#features = settings.nonMissingBins.length;
    this.#catBins = new Int32Array(settings.binsPerFeature);
    this.#catValues = new Float64Array(settings.binsPerFeature);
  }

  /** Writes the best split with positive gain into `best`; returns false when none satisfies the constraints. */
  find(hist: Float64Array, sumGradients: number, sumHessians: number, count: number, best: SplitCandidate): boolean {
    best.reset();
    const s = this.#s;
    const l2 = s.l2Regularization;
    const parentLoss = (-sumGradients * sumGradients) / (sumHessians + l2 + HESSIAN_EPSILON);
    for (let f = 0; f < this.#features; f++) {
      const base = f * s.binsPerFeature * HISTOGRAM_STRIDE;
      if (s.categorical[f] === 1) {
        this.#scanCategorical(hist, base, f, sumGradients, sumHessians, count, parentLoss, best);
      } else {
        this.#scanLeftToRight(hist, base, f, sumGradients, sumHessians, count, parentLoss, best);
        if (s.hasMissing[f] === 1) this.#scanRightToLeft(hist, base, f, sumGradients, sumHessians, count, parentLoss, best);
      }
    }
    return best.feature >= 0;
  }

  #scanLeftToRight(
    hist: Float64Array,
    base: number,
    f: number,
    sumGradients: number,
    sumHessians: number,
    count: number,
    parentLoss: number,
    best: SplitCandidate,
  ): void {
    const s = this.#s;
    const l2 = s.l2Regularization + HESSIAN_EPSILON;
    const minLeaf = s.minSamplesLeaf;
    const minHessian = s.minHessianToSplit;
    // With missing values the last present bin may go left too: the missing ones still go right.
    const end = s.nonMissingBins[f]! - 1 + s.hasMissing[f]!;
    let bestGain = best.gain;
    let gl = 0;
    let hl = 0;
    let nl = 0;
    for (let b = 0; b < end; b++) {
      const o = base + b * HISTOGRAM_STRIDE;
      const binCount = hist[o + 2]!;
      // An empty bin moves no row, so its split equals the previous one and cannot win a strict >.
      if (binCount === 0) continue;
      gl += hist[o]!;
      hl += hist[o + 1]!;
      nl += binCount;
      if (nl < minLeaf) continue;
      if (count - nl < minLeaf) break;
      const hr = sumHessians - hl;
      if (hl < minHessian) continue;
      if (hr < minHessian) break;
      const gr = sumGradients - gl;
      const gain = childrenGain(gl, hl + l2, gr, hr + l2) + parentLoss;
      if (gain > bestGain) {
        bestGain = gain;
        best.gain = gain;
        best.feature = f;
        best.bin = b;
        best.categorical = false;
        best.missingLeft = false;
        best.sumGradientsLeft = gl;
        best.sumHessiansLeft = hl;
        best.countLeft = nl;
        best.sumGradientsRight = gr;
        best.sumHessiansRight = hr;
        best.countRight = count - nl;
      }
    }
  }

  #scanRightToLeft(
    hist: Float64Array,
    base: number,
    f: number,
    sumGradients: number,
    sumHessians: number,
    count: number,
    parentLoss: number,
    best: SplitCandidate,
  ): void {
    const s = this.#s;
    const l2 = s.l2Regularization + HESSIAN_EPSILON;
    const minLeaf = s.minSamplesLeaf;
    const minHessian = s.minHessianToSplit;
    let bestGain = best.gain;
    let gr = 0;
    let hr = 0;
    let nr = 0;
    // Right holds present bins above b; left holds bins ≤ b plus every missing value.
    for (let b = s.nonMissingBins[f]! - 2; b >= 0; b--) {
      const o = base + (b + 1) * HISTOGRAM_STRIDE;
      const binCount = hist[o + 2]!;
      if (binCount === 0) continue;
      gr += hist[o]!;
      hr += hist[o + 1]!;
      nr += binCount;
      if (nr < minLeaf) continue;
      if (count - nr < minLeaf) break;
      const hl = sumHessians - hr;
      if (hr < minHessian) continue;
      if (hl < minHessian) break;
      const gl = sumGradients - gr;
      const gain = childrenGain(gl, hl + l2, gr, hr + l2) + parentLoss;
      if (gain > bestGain) {
        bestGain = gain;
        best.gain = gain;
        best.feature = f;
        best.bin = b;
        best.categorical = false;
        best.missingLeft = true;
        best.sumGradientsLeft = gl;
        best.sumHessiansLeft = hl;
        best.countLeft = count - nr;
        best.sumGradientsRight = gr;
        best.sumHessiansRight = hr;
        best.countRight = nr;
      }
    }
  }

  #scanCategorical(
    hist: Float64Array,
    base: number,
    f: number,
    sumGradients: number,
    sumHessians: number,
    count: number,
    parentLoss: number,
    best: SplitCandidate,
  ): void {
    const s = this.#s;
    const l2 = s.l2Regularization + HESSIAN_EPSILON;
    const catBins = this.#catBins;
    const catValues = this.#catValues;
    // Scales hessians to sample units, so the support threshold means "about 10 rows" for any loss.
    const supportFactor = count / sumHessians;
    let used = 0;
    const lastBin = s.nonMissingBins[f]!;
    for (let b = 0; b <= lastBin; b++) {
      // Missing values are one more category, when training had any.
      const bin = b < lastBin ? b : s.missingBin;
      if (b === lastBin && s.hasMissing[f] !== 1) break;
      const o = base + bin * HISTOGRAM_STRIDE;
      const h = hist[o + 1]!;
      if (h * supportFactor < MIN_CATEGORY_SUPPORT) continue;
      const value = hist[o]! / (h + MIN_CATEGORY_SUPPORT);
      // Insertion sort by value: at most 256 categories, and usually a few dozen.
      let i = used++;
      while (i > 0 && catValues[i - 1]! > value) {
        catValues[i] = catValues[i - 1]!;
        catBins[i] = catBins[i - 1]!;
        i--;
      }
      catValues[i] = value;
      catBins[i] = bin;
    }
    if (used <= 1) return;

    const minLeaf = s.minSamplesLeaf;
    const minHessian = s.minHessianToSplit;
    let bestThreshold = -1;
    let bestDirection = 0;
    for (let direction = 1; direction >= -1; direction -= 2) {
      // Stopping at the middle keeps low-support categories with the larger side (always the right child).
      const middle = direction === 1 ? (used + 1) >> 1 : ((used + 1) >> 1) - 1;
      let gl = 0;
      let hl = 0;
      let nl = 0;
      for (let i = 0; i < middle; i++) {
        const sorted = direction === 1 ? i : used - 1 - i;
        const o = base + catBins[sorted]! * HISTOGRAM_STRIDE;
        gl += hist[o]!;
        hl += hist[o + 1]!;
        nl += hist[o + 2]!;
        const hr = sumHessians - hl;
        if (nl < minLeaf || hl < minHessian) continue;
        if (count - nl < minLeaf || hr < minHessian) break;
        const gr = sumGradients - gl;
        const gain = childrenGain(gl, hl + l2, gr, hr + l2) + parentLoss;
        if (gain > best.gain) {
          best.gain = gain;
          best.feature = f;
          best.bin = 0;
          best.categorical = true;
          best.sumGradientsLeft = gl;
          best.sumHessiansLeft = hl;
          best.countLeft = nl;
          best.sumGradientsRight = gr;
          best.sumHessiansRight = hr;
          best.countRight = count - nl;
          bestThreshold = sorted;
          bestDirection = direction;
        }
      }
    }
    if (bestDirection === 0) return;
    const bits = best.leftBins;
    bits.fill(0);
    const from = bestDirection === 1 ? 0 : bestThreshold;
    const to = bestDirection === 1 ? bestThreshold : used - 1;
    for (let i = from; i <= to; i++) {
      const bin = catBins[i]!;
      bits[bin >>> 5]! |= 1 << (bin & 31);
    }
    const missing = s.missingBin;
    best.missingLeft = (bits[missing >>> 5]! & (1 << (missing & 31))) !== 0;
  }
}
