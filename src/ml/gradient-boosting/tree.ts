import type { FeatureMatrix } from '../dataset.js';
import type { BinMapper } from './bin-mapper.js';
import { BIN_BITSET_WORDS } from './split-finder.js';

/** The arrays that make up a fitted tree; node 0 is the root, a leaf has feature −1. */
export interface TreeArrays {
  /** Split feature, or −1 for a leaf. */
  readonly feature: Int32Array;
  /** Numeric split: rows whose bin is ≤ this go left. */
  readonly binThreshold: Uint8Array;
  /** 1 when missing values (and unseen categories) go left. */
  readonly missingLeft: Uint8Array;
  /** 1 for a categorical split (then leftBins decides). */
  readonly categorical: Uint8Array;
  /** BIN_BITSET_WORDS words per node: bins that go left at a categorical split. */
  readonly leftBins: Uint32Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** Leaf output (learning rate already applied); 0 on split nodes. */
  readonly value: Float64Array;
  /** Split gain (loss reduction) on split nodes, 0 on leaves; feeds feature importances. */
  readonly gain: Float64Array;
  /** Training rows that reached the node. */
  readonly count: Int32Array;
}

/**
 * One regression tree of a boosted ensemble. Predicts from raw values (numeric splits compare with
 * the bin's upper edge, which is equivalent to comparing bins) or from binned rows.
 */
export class Tree implements TreeArrays {
  readonly feature: Int32Array;
  readonly binThreshold: Uint8Array;
  readonly missingLeft: Uint8Array;
  readonly categorical: Uint8Array;
  readonly leftBins: Uint32Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly value: Float64Array;
  readonly gain: Float64Array;
  readonly count: Int32Array;
  /** Raw-value threshold per numeric split node; +Infinity when every present value goes left. */
  readonly threshold: Float64Array;

  constructor(arrays: TreeArrays, binMapper: BinMapper) {
    this.feature = arrays.feature;
    this.binThreshold = arrays.binThreshold;
    this.missingLeft = arrays.missingLeft;
    this.categorical = arrays.categorical;
    this.leftBins = arrays.leftBins;
    this.left = arrays.left;
    this.right = arrays.right;
    this.value = arrays.value;
    this.gain = arrays.gain;
    this.count = arrays.count;
    const nodes = arrays.feature.length;
    this.threshold = new Float64Array(nodes);
    for (let node = 0; node < nodes; node++) {
      const f = arrays.feature[node]!;
      if (f < 0 || arrays.categorical[node] === 1) continue;
      const edges = binMapper.thresholds[f]!;
      const bin = arrays.binThreshold[node]!;
      this.threshold[node] = bin < edges.length ? edges[bin]! : Infinity;
    }
  }

  /** Number of nodes (splits and leaves). */
  get nodeCount(): number {
    return this.feature.length;
  }

  /** Adds this tree's output for every row of a raw feature matrix to out[offset + row]. */
  addRawPredictions(matrix: FeatureMatrix, binMapper: BinMapper, out: Float64Array, offset: number): void {
    const { feature, threshold, missingLeft, categorical, leftBins, left, right, value } = this;
    const values = matrix.values;
    const rows = matrix.rows;
    for (let r = 0; r < rows; r++) {
      let node = 0;
      let f = feature[0]!;
      while (f >= 0) {
        const x = values[f * rows + r]!;
        let goLeft: boolean;
        if (x !== x) {
          goLeft = missingLeft[node] === 1;
        } else if (categorical[node] === 1) {
          const bin = binMapper.categoryBin(f, x);
          goLeft =
            bin < 0
              ? missingLeft[node] === 1
              : (leftBins[node * BIN_BITSET_WORDS + (bin >>> 5)]! & (1 << (bin & 31))) !== 0;
        } else {
          goLeft = x <= threshold[node]!;
        }
        node = goLeft ? left[node]! : right[node]!;
        f = feature[node]!;
      }
      out[offset + r]! += value[node]!;
    }
  }

  /** Adds this tree's output for every row of row-major binned data to out[offset + row]. */
  addBinnedPredictions(binned: Uint8Array, rows: number, features: number, missingBin: number, out: Float64Array, offset: number): void {
    const { feature, binThreshold, missingLeft, categorical, leftBins, left, right, value } = this;
    for (let r = 0; r < rows; r++) {
      let node = 0;
      let f = feature[0]!;
      const rowBase = r * features;
      while (f >= 0) {
        const bin = binned[rowBase + f]!;
        let goLeft: boolean;
        if (bin === missingBin) goLeft = missingLeft[node] === 1;
        else if (categorical[node] === 1) goLeft = (leftBins[node * BIN_BITSET_WORDS + (bin >>> 5)]! & (1 << (bin & 31))) !== 0;
        else goLeft = bin <= binThreshold[node]!;
        node = goLeft ? left[node]! : right[node]!;
        f = feature[node]!;
      }
      out[offset + r]! += value[node]!;
    }
  }
}
