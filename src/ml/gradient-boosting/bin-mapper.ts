import type { FeatureKind, FeatureMatrix } from '../dataset.js';
import { MlError } from '../ml-error.js';

/** Most bins for non-missing values; one more bin (index maxBins) holds missing values, so a bin fits a byte. */
export const MAX_BINS = 255;

/** Thresholds are clipped here so +Infinity is reserved for the "non-missing left, missing right" split. */
const ALMOST_INF = 1e300;

/** A fitted binning: everything needed to map raw feature values to bin indices. */
export interface BinMapperState {
  readonly maxBins: number;
  readonly featureKinds: readonly FeatureKind[];
  /** Numeric features: ascending bin upper edges (value x is in bin i iff t[i-1] < x <= t[i]). Empty for categorical. */
  readonly thresholds: readonly Float64Array[];
  /** Categorical features: sorted known codes; bin i holds code categories[i]. Empty for numeric. */
  readonly categories: readonly Int32Array[];
  /** Whether the training data had a missing value in the feature (decides how splits treat missing). */
  readonly hasMissing: Uint8Array;
}

/**
 * numpy.percentile(sorted, 100·i/maxBins, method='midpoint') for i = 1 … maxBins−1, reproducing
 * numpy's arithmetic (linspace step, virtual index, two-sided lerp) so bin edges equal
 * scikit-learn's _BinMapper bit for bit.
 */
function midpointPercentiles(sorted: Float64Array, maxBins: number): Float64Array {
  const n = sorted.length;
  const out = new Float64Array(maxBins - 1);
  const step = 100 / maxBins;
  for (let i = 1; i < maxBins; i++) {
    const q = (i * step) / 100;
    const v = (n - 1) * q;
    const below = Math.floor(v);
    const a = sorted[below]!;
    if (Math.ceil(v) === below) {
      out[i - 1] = a;
    } else {
      const b = sorted[below + 1 < n ? below + 1 : n - 1]!;
      out[i - 1] = b - (b - a) * 0.5;
    }
  }
  return out;
}

/** Bin edges of one numeric column: midpoints between distinct values when few, else midpoint quantiles. */
export function numericThresholds(column: Float64Array, maxBins: number): Float64Array {
  let present = 0;
  for (let r = 0; r < column.length; r++) if (column[r] === column[r]) present++;
  const sorted = new Float64Array(present);
  let k = 0;
  for (let r = 0; r < column.length; r++) {
    const x = column[r]!;
    if (x === x) sorted[k++] = x;
  }
  sorted.sort();
  let distinct = 0;
  for (let i = 0; i < present; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++;
  let thresholds: Float64Array;
  if (distinct <= maxBins) {
    thresholds = new Float64Array(Math.max(distinct - 1, 0));
    let previous = sorted[0]!;
    let t = 0;
    for (let i = 1; i < present; i++) {
      const x = sorted[i]!;
      if (x !== previous) {
        thresholds[t++] = (previous + x) * 0.5;
        previous = x;
      }
    }
  } else {
    thresholds = midpointPercentiles(sorted, maxBins);
  }
  for (let i = 0; i < thresholds.length; i++) if (thresholds[i]! > ALMOST_INF) thresholds[i] = ALMOST_INF;
  return thresholds;
}

/** Number of thresholds strictly below x: the bin of a present numeric value. */
function searchBin(thresholds: Float64Array, x: number): number {
  let low = 0;
  let high = thresholds.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (x <= thresholds[mid]!) high = mid;
    else low = mid + 1;
  }
  return low;
}

/** Grid cells of the bin lookup; a value's cell narrows its binary search to a few thresholds. */
const LOOKUP_CELLS = 1024;

/**
 * Bins one numeric column into out[offset + r · stride]. A uniform grid over the threshold range
 * tells which thresholds can hold each value, so the search runs over a handful instead of all 254
 * (about twice as fast on 50,000 rows). When rounding puts a value next to its cell, or a value lies
 * outside the range, the narrowed range fails its end check and a full search decides.
 */
function binNumericColumn(
  column: Float64Array,
  thresholds: Float64Array,
  out: Uint8Array,
  offset: number,
  stride: number,
  missingBin: number,
): void {
  const m = thresholds.length;
  const low = m > 0 ? thresholds[0]! : 0;
  const scale = m > 0 ? LOOKUP_CELLS / (thresholds[m - 1]! - low) : 0;
  const useGrid = m >= 16 && scale > 0 && scale < Infinity;
  const first = new Int32Array(useGrid ? LOOKUP_CELLS + 1 : 0);
  for (let c = 0; c < first.length; c++) first[c] = searchBin(thresholds, low + c / scale);
  for (let r = 0; r < column.length; r++) {
    const x = column[r]!;
    let bin: number;
    if (x !== x) {
      bin = missingBin;
    } else if (!useGrid) {
      bin = searchBin(thresholds, x);
    } else {
      let c = Math.floor((x - low) * scale);
      c = c < 0 ? 0 : c >= LOOKUP_CELLS ? LOOKUP_CELLS - 1 : c;
      let from = first[c]!;
      let to = first[c + 1]!;
      if ((from > 0 && !(thresholds[from - 1]! < x)) || (to < m && !(x <= thresholds[to]!))) {
        bin = searchBin(thresholds, x);
      } else {
        while (from < to) {
          const mid = (from + to) >>> 1;
          if (x <= thresholds[mid]!) to = mid;
          else from = mid + 1;
        }
        bin = from;
      }
    }
    out[offset + r * stride] = bin;
  }
}

/**
 * Maps raw feature values to at most 256 bins per feature (scikit-learn's _BinMapper scheme):
 * numeric features into ≤ maxBins quantile bins, categorical features one bin per known code, and
 * missing values (and unseen codes) into bin `maxBins`. Quantiles use every training row (no subsample).
 */
export class BinMapper implements BinMapperState {
  readonly maxBins: number;
  readonly featureKinds: readonly FeatureKind[];
  readonly thresholds: readonly Float64Array[];
  readonly categories: readonly Int32Array[];
  readonly hasMissing: Uint8Array;
  /** Bins used by non-missing values, per feature. */
  readonly nonMissingBins: Int32Array;
  /** The bin index that holds missing values (= maxBins). */
  readonly missingBin: number;
  /** Per categorical feature: code → bin, −1 for codes not seen in training. */
  readonly #codeToBin: readonly Int16Array[];

  constructor(state: BinMapperState) {
    this.maxBins = state.maxBins;
    this.featureKinds = state.featureKinds;
    this.thresholds = state.thresholds;
    this.categories = state.categories;
    this.hasMissing = state.hasMissing;
    this.missingBin = state.maxBins;
    const features = state.featureKinds.length;
    this.nonMissingBins = new Int32Array(features);
    const lookups: Int16Array[] = [];
    for (let f = 0; f < features; f++) {
      const codes = state.categories[f]!;
      if (state.featureKinds[f] === 'categorical') {
        this.nonMissingBins[f] = codes.length;
        const lookup = new Int16Array(codes.length === 0 ? 0 : codes[codes.length - 1]! + 1).fill(-1);
        for (let b = 0; b < codes.length; b++) lookup[codes[b]!] = b;
        lookups.push(lookup);
      } else {
        this.nonMissingBins[f] = state.thresholds[f]!.length + 1;
        lookups.push(new Int16Array(0));
      }
    }
    this.#codeToBin = lookups;
  }

  /** Fits bin edges and category lists on training features. */
  static fit(train: FeatureMatrix, maxBins = MAX_BINS): BinMapper {
    if (!(Number.isInteger(maxBins) && maxBins >= 2 && maxBins <= MAX_BINS)) {
      throw new MlError('TIPSTER_ERR_ML_OPTION_INVALID', `maxBins must be an integer in [2, ${MAX_BINS}], got ${maxBins}`);
    }
    const features = train.featureNames.length;
    const thresholds: Float64Array[] = [];
    const categories: Int32Array[] = [];
    const hasMissing = new Uint8Array(features);
    for (let f = 0; f < features; f++) {
      const column = train.values.subarray(f * train.rows, (f + 1) * train.rows);
      for (let r = 0; r < train.rows; r++) {
        if (column[r] !== column[r]) {
          hasMissing[f] = 1;
          break;
        }
      }
      if (train.featureKinds[f] === 'categorical') {
        const seen = new Set<number>();
        for (let r = 0; r < train.rows; r++) {
          const x = column[r]!;
          if (x === x) seen.add(x);
        }
        if (seen.size > maxBins) {
          throw new MlError(
            'TIPSTER_ERR_ML_FEATURE_INVALID',
            `Categorical feature "${train.featureNames[f]}" has ${seen.size} categories; at most ${maxBins} are supported`,
          );
        }
        categories.push(Int32Array.from(seen).sort());
        thresholds.push(new Float64Array(0));
      } else {
        thresholds.push(numericThresholds(column, maxBins));
        categories.push(new Int32Array(0));
      }
    }
    return new BinMapper({ maxBins, featureKinds: train.featureKinds, thresholds, categories, hasMissing });
  }

  /** Bin of a categorical code, or −1 when the code was not seen in training (treated as missing). */
  categoryBin(feature: number, code: number): number {
    const lookup = this.#codeToBin[feature]!;
    return code >= 0 && code < lookup.length && Math.floor(code) === code ? lookup[code]! : -1;
  }

  /** Bin of one raw value of a feature. */
  binOf(feature: number, x: number): number {
    if (x !== x) return this.missingBin;
    if (this.featureKinds[feature] === 'categorical') {
      const bin = this.categoryBin(feature, x);
      return bin < 0 ? this.missingBin : bin;
    }
    return searchBin(this.thresholds[feature]!, x);
  }

  /** Bins every value of a matrix; the result is row-major (row r's bins are contiguous at r × features). */
  transform(matrix: FeatureMatrix): Uint8Array {
    const features = this.featureKinds.length;
    const rows = matrix.rows;
    const binned = new Uint8Array(rows * features);
    for (let f = 0; f < features; f++) {
      const column = matrix.values.subarray(f * rows, (f + 1) * rows);
      if (this.featureKinds[f] === 'numeric') {
        binNumericColumn(column, this.thresholds[f]!, binned, f, features, this.missingBin);
      } else {
        for (let r = 0; r < rows; r++) binned[r * features + f] = this.binOf(f, column[r]!);
      }
    }
    return binned;
  }
}
