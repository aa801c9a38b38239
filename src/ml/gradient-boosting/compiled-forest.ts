import { BIN_BITSET_WORDS } from './split-finder.js';
import type { Tree } from './tree.js';

/**
 * Every tree of a model in one set of flat arrays, for predicting many binned rows. Each split is
 * stored as the set of bins that go left (256 bits: numeric thresholds, categorical sets and the
 * missing bin alike), so walking a tree is one table lookup per level with no branching on split
 * kinds. Rows are the outer loop: a row's bins stay in registers and cache while all trees walk them.
 */
export class CompiledForest {
  readonly #roots: Int32Array;
  readonly #feature: Int32Array;
  readonly #leftBits: Uint32Array;
  readonly #left: Int32Array;
  readonly #right: Int32Array;
  readonly #value: Float64Array;

  private constructor(roots: Int32Array, feature: Int32Array, leftBits: Uint32Array, left: Int32Array, right: Int32Array, value: Float64Array) {
    this.#roots = roots;
    this.#feature = feature;
    this.#leftBits = leftBits;
    this.#left = left;
    this.#right = right;
    this.#value = value;
  }

  /** Flattens trees whose bins run 0 … missingBin (at most 255). */
  static compile(trees: readonly Tree[], missingBin: number): CompiledForest {
    let total = 0;
    for (const tree of trees) total += tree.nodeCount;
    const roots = new Int32Array(trees.length);
    const feature = new Int32Array(total);
    const leftBits = new Uint32Array(total * BIN_BITSET_WORDS);
    const left = new Int32Array(total);
    const right = new Int32Array(total);
    const value = new Float64Array(total);
    let base = 0;
    for (let t = 0; t < trees.length; t++) {
      const tree = trees[t]!;
      roots[t] = base;
      for (let node = 0; node < tree.nodeCount; node++) {
        const at = base + node;
        feature[at] = tree.feature[node]!;
        value[at] = tree.value[node]!;
        if (tree.feature[node]! < 0) continue;
        left[at] = base + tree.left[node]!;
        right[at] = base + tree.right[node]!;
        const bits = at * BIN_BITSET_WORDS;
        if (tree.categorical[node] === 1) {
          for (let w = 0; w < BIN_BITSET_WORDS; w++) leftBits[bits + w] = tree.leftBins[node * BIN_BITSET_WORDS + w]!;
        } else {
          for (let bin = 0; bin <= tree.binThreshold[node]!; bin++) leftBits[bits + (bin >>> 5)]! |= 1 << (bin & 31);
        }
        // The missing bin goes where the split sends missing values, whatever the bitset said.
        const word = bits + (missingBin >>> 5);
        const mask = 1 << (missingBin & 31);
        leftBits[word] = tree.missingLeft[node] === 1 ? leftBits[word]! | mask : leftBits[word]! & ~mask;
      }
      base += tree.nodeCount;
    }
    return new CompiledForest(roots, feature, leftBits, left, right, value);
  }

  /**
   * Adds tree t's output for every row of row-major binned data to out[(t mod k) · rows + row], in
   * tree order (the same sums, in the same order, as adding one tree at a time).
   */
  addPredictions(binned: Uint8Array, rows: number, features: number, k: number, out: Float64Array): void {
    const roots = this.#roots;
    const feature = this.#feature;
    const leftBits = this.#leftBits;
    const left = this.#left;
    const right = this.#right;
    const value = this.#value;
    const trees = roots.length;
    for (let r = 0; r < rows; r++) {
      const rowBase = r * features;
      for (let t = 0; t < trees; t++) {
        let node = roots[t]!;
        let f = feature[node]!;
        while (f >= 0) {
          const bin = binned[rowBase + f]!;
          node = ((leftBits[node * BIN_BITSET_WORDS + (bin >>> 5)]! >>> (bin & 31)) & 1) === 1 ? left[node]! : right[node]!;
          f = feature[node]!;
        }
        out[(t % k) * rows + r]! += value[node]!;
      }
    }
  }
}
