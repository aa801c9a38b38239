import type { BinMapper } from './bin-mapper.js';
import { HistogramBuilder } from './histogram-builder.js';
import type { HelperThreads, TrainingMemory } from './helper-threads.js';
import { HISTOGRAM_STRIDE } from './histogram-kernels.js';
import { BIN_BITSET_WORDS, SplitCandidate, SplitFinder, type SplitFinderSettings } from './split-finder.js';
import { HESSIAN_EPSILON } from './split-gain.js';
import { Tree } from './tree.js';

/** Growth limits of one tree, on top of what the split finder checks. */
export interface TreeGrowerSettings extends SplitFinderSettings {
  /** Most leaves per tree (≥ 2). */
  readonly maxLeafNodes: number;
  /** Deepest a leaf may be (root = 0); Infinity for no limit. */
  readonly maxDepth: number;
  /** Shrinkage applied to every leaf value. */
  readonly learningRate: number;
}

/**
 * Grows regression trees best-first (leaf-wise): the leaf whose best split gains most is split
 * next, until max leaf nodes, max depth or no split is worth making. The smaller child's histogram
 * is built from its rows and the larger child's is the parent's minus it. Every buffer (row
 * partition, node arrays, histogram pool) is allocated once and reused for every tree.
 */
export class TreeGrower {
  readonly #binned: Uint8Array;
  readonly #rows: number;
  readonly #features: number;
  readonly #s: TreeGrowerSettings;
  readonly #binMapper: BinMapper;
  readonly #histograms: HistogramBuilder;
  readonly #finder: SplitFinder;
  readonly #candidate = new SplitCandidate();
  /** Row indices grouped by node: node n owns partition[start[n] .. end[n]). */
  readonly #partition: Int32Array;
  readonly #scratch: Int32Array;
  readonly #goesLeft: Uint8Array;

  // Node table (struct of arrays) for one tree; capacity 2 · maxLeafNodes − 1.
  readonly #start: Int32Array;
  readonly #end: Int32Array;
  readonly #depth: Int32Array;
  readonly #slot: Int32Array;
  readonly #sumGradients: Float64Array;
  readonly #sumHessians: Float64Array;
  readonly #feature: Int32Array;
  readonly #binThreshold: Uint8Array;
  readonly #missingLeft: Uint8Array;
  readonly #categorical: Uint8Array;
  readonly #leftBins: Uint32Array;
  readonly #left: Int32Array;
  readonly #right: Int32Array;
  readonly #value: Float64Array;
  readonly #gain: Float64Array;
  readonly #isLeaf: Uint8Array;
  readonly #splittable: Int32Array;
  readonly #pendingGradientsLeft: Float64Array;
  readonly #pendingHessiansLeft: Float64Array;
  #nodeCount = 0;
  #splittableCount = 0;
  #leafCount = 0;

  /**
   * With `memory` (from createTrainingMemory) the grower partitions rows in memory.partition and
   * builds histograms on memory's offsets, sharing large ones with `helpers`; grow() must then be
   * given views of memory.gradients and memory.hessians.
   */
  constructor(
    binned: Uint8Array,
    rows: number,
    binMapper: BinMapper,
    settings: TreeGrowerSettings,
    memory?: TrainingMemory,
    helpers: HelperThreads | null = null,
  ) {
    this.#binned = binned;
    this.#rows = rows;
    this.#features = settings.nonMissingBins.length;
    this.#s = settings;
    this.#binMapper = binMapper;
    this.#partition = memory?.partition ?? new Int32Array(rows);
    this.#histograms = new HistogramBuilder(
      binned,
      this.#features,
      settings.binsPerFeature,
      memory ? { offsets: memory.offsets, partials: memory.partials, helpers } : undefined,
    );
    this.#finder = new SplitFinder(settings);
    this.#scratch = new Int32Array(rows);
    this.#goesLeft = new Uint8Array(settings.binsPerFeature);
    const capacity = 2 * settings.maxLeafNodes - 1;
    this.#start = new Int32Array(capacity);
    this.#end = new Int32Array(capacity);
    this.#depth = new Int32Array(capacity);
    this.#slot = new Int32Array(capacity);
    this.#sumGradients = new Float64Array(capacity);
    this.#sumHessians = new Float64Array(capacity);
    this.#feature = new Int32Array(capacity);
    this.#binThreshold = new Uint8Array(capacity);
    this.#missingLeft = new Uint8Array(capacity);
    this.#categorical = new Uint8Array(capacity);
    this.#leftBins = new Uint32Array(capacity * BIN_BITSET_WORDS);
    this.#left = new Int32Array(capacity);
    this.#right = new Int32Array(capacity);
    this.#value = new Float64Array(capacity);
    this.#gain = new Float64Array(capacity);
    this.#isLeaf = new Uint8Array(capacity);
    this.#splittable = new Int32Array(settings.maxLeafNodes);
    this.#pendingGradientsLeft = new Float64Array(capacity);
    this.#pendingHessiansLeft = new Float64Array(capacity);
  }

  /**
   * Grows one tree on the given gradients/hessians (length rows) and adds its leaf values to
   * raw[rawOffset + row] for every training row, which saves predicting the training set again.
   */
  grow(gradients: Float64Array, hessians: Float64Array, raw: Float64Array, rawOffset: number): Tree {
    const rows = this.#rows;
    const s = this.#s;
    const partition = this.#partition;
    for (let i = 0; i < rows; i++) partition[i] = i;
    this.#histograms.releaseAll();
    this.#nodeCount = 0;
    this.#splittableCount = 0;
    this.#leafCount = 0;

    const root = this.#newNode(0, rows, 0, 0, 0);
    const rootSlot = this.#histograms.acquire();
    this.#slot[root] = rootSlot;
    this.#histograms.buildAll(rootSlot, rows, gradients, hessians);
    // Sum over every bin of feature 0 (each row lands in exactly one of them).
    const hist = this.#histograms.histogram(rootSlot);
    let sumGradients = 0;
    let sumHessians = 0;
    for (let b = 0; b < s.binsPerFeature; b++) {
      sumGradients += hist[b * HISTOGRAM_STRIDE]!;
      sumHessians += hist[b * HISTOGRAM_STRIDE + 1]!;
    }
    this.#sumGradients[root] = sumGradients;
    this.#sumHessians[root] = sumHessians;
    if (rows < 2 * s.minSamplesLeaf || sumHessians < s.minHessianToSplit) this.#finalize(root);
    else this.#findSplit(root);

    while (this.#splittableCount > 0) this.#splitNext(gradients, hessians);

    for (let node = 0; node < this.#nodeCount; node++) {
      if (this.#isLeaf[node] !== 1) continue;
      const value = this.#value[node]!;
      for (let i = this.#start[node]!, end = this.#end[node]!; i < end; i++) raw[rawOffset + partition[i]!]! += value;
    }
    return this.#toTree();
  }

  #newNode(start: number, end: number, depth: number, sumGradients: number, sumHessians: number): number {
    const node = this.#nodeCount++;
    this.#start[node] = start;
    this.#end[node] = end;
    this.#depth[node] = depth;
    this.#slot[node] = -1;
    this.#sumGradients[node] = sumGradients;
    this.#sumHessians[node] = sumHessians;
    this.#feature[node] = -1;
    this.#binThreshold[node] = 0;
    this.#missingLeft[node] = 0;
    this.#categorical[node] = 0;
    this.#leftBins.fill(0, node * BIN_BITSET_WORDS, (node + 1) * BIN_BITSET_WORDS);
    this.#left[node] = -1;
    this.#right[node] = -1;
    this.#value[node] = 0;
    this.#gain[node] = 0;
    this.#isLeaf[node] = 0;
    return node;
  }

  #finalize(node: number): void {
    this.#isLeaf[node] = 1;
    // A queued node that never gets split (leaf budget spent) must not keep its candidate split.
    this.#feature[node] = -1;
    this.#categorical[node] = 0;
    this.#binThreshold[node] = 0;
    this.#missingLeft[node] = 0;
    this.#gain[node] = 0;
    this.#value[node] =
      (-this.#s.learningRate * this.#sumGradients[node]!) /
      (this.#sumHessians[node]! + this.#s.l2Regularization + HESSIAN_EPSILON);
    this.#leafCount++;
    this.#releaseSlot(node);
  }

  #releaseSlot(node: number): void {
    const slot = this.#slot[node]!;
    if (slot >= 0) this.#histograms.release(slot);
    this.#slot[node] = -1;
  }

  /** Finds the node's best split and queues it, or makes the node a leaf when nothing gains. */
  #findSplit(node: number): void {
    const c = this.#candidate;
    const count = this.#end[node]! - this.#start[node]!;
    const found = this.#finder.find(
      this.#histograms.histogram(this.#slot[node]!),
      this.#sumGradients[node]!,
      this.#sumHessians[node]!,
      count,
      c,
    );
    if (!found) {
      this.#finalize(node);
      return;
    }
    this.#feature[node] = c.feature;
    this.#binThreshold[node] = c.bin;
    this.#missingLeft[node] = c.missingLeft ? 1 : 0;
    this.#categorical[node] = c.categorical ? 1 : 0;
    if (c.categorical) this.#leftBins.set(c.leftBins, node * BIN_BITSET_WORDS);
    this.#gain[node] = c.gain;
    // Children's sums come from the histogram scan, so splitting needs no pass over the rows.
    this.#pendingGradientsLeft[node] = c.sumGradientsLeft;
    this.#pendingHessiansLeft[node] = c.sumHessiansLeft;
    this.#splittable[this.#splittableCount++] = node;
  }

  /** Removes and returns the queued node with the largest gain (the first one on ties). */
  #popBest(): number {
    let at = 0;
    let bestGain = this.#gain[this.#splittable[0]!]!;
    for (let i = 1; i < this.#splittableCount; i++) {
      const gain = this.#gain[this.#splittable[i]!]!;
      if (gain > bestGain) {
        bestGain = gain;
        at = i;
      }
    }
    const node = this.#splittable[at]!;
    this.#splittable.copyWithin(at, at + 1, this.#splittableCount);
    this.#splittableCount--;
    return node;
  }

  /** Moves the node's rows into [left | right] order (stable, so each child's rows stay ascending). */
  #partitionRows(node: number): number {
    const partition = this.#partition;
    const scratch = this.#scratch;
    const binned = this.#binned;
    const features = this.#features;
    const f = this.#feature[node]!;
    const start = this.#start[node]!;
    const end = this.#end[node]!;
    // One side table per split makes the row loop branch-free: sides are random, branches mispredict.
    const goesLeft = this.#goesLeft;
    const missingBin = this.#s.missingBin;
    if (this.#categorical[node] === 1) {
      const bitsetBase = node * BIN_BITSET_WORDS;
      for (let bin = 0; bin < goesLeft.length; bin++) {
        goesLeft[bin] = (this.#leftBins[bitsetBase + (bin >>> 5)]! >>> (bin & 31)) & 1;
      }
    } else {
      const threshold = this.#binThreshold[node]!;
      for (let bin = 0; bin < goesLeft.length; bin++) goesLeft[bin] = bin <= threshold ? 1 : 0;
    }
    goesLeft[missingBin] = this.#missingLeft[node]!;
    let write = start;
    let rightCount = 0;
    for (let i = start; i < end; i++) {
      const r = partition[i]!;
      const left = goesLeft[binned[r * features + f]!]!;
      partition[write] = r;
      scratch[rightCount] = r;
      write += left;
      rightCount += 1 - left;
    }
    for (let i = 0; i < rightCount; i++) partition[write + i] = scratch[i]!;
    return write;
  }

  #splitNext(gradients: Float64Array, hessians: Float64Array): void {
    const s = this.#s;
    const node = this.#popBest();
    const middle = this.#partitionRows(node);
    const depth = this.#depth[node]! + 1;
    const gradientsLeft = this.#pendingGradientsLeft[node]!;
    const hessiansLeft = this.#pendingHessiansLeft[node]!;
    const left = this.#newNode(this.#start[node]!, middle, depth, gradientsLeft, hessiansLeft);
    const right = this.#newNode(
      middle,
      this.#end[node]!,
      depth,
      this.#sumGradients[node]! - gradientsLeft,
      this.#sumHessians[node]! - hessiansLeft,
    );
    this.#left[node] = left;
    this.#right[node] = right;
    const countLeft = middle - this.#start[node]!;
    const countRight = this.#end[node]! - middle;
    // Without missing values in training, send future missing values where most rows went.
    if (s.hasMissing[this.#feature[node]!] !== 1) this.#missingLeft[node] = countLeft > countRight ? 1 : 0;

    if (this.#leafCount + this.#splittableCount + 2 >= s.maxLeafNodes) {
      this.#finalize(left);
      this.#finalize(right);
      while (this.#splittableCount > 0) this.#finalize(this.#splittable[--this.#splittableCount]!);
      this.#releaseSlot(node);
      return;
    }
    if (depth >= s.maxDepth) {
      this.#finalize(left);
      this.#finalize(right);
      this.#releaseSlot(node);
      return;
    }
    const leftCanSplit = countLeft >= 2 * s.minSamplesLeaf;
    const rightCanSplit = countRight >= 2 * s.minSamplesLeaf;
    if (!leftCanSplit) this.#finalize(left);
    if (!rightCanSplit) this.#finalize(right);
    if (!leftCanSplit && !rightCanSplit) {
      this.#releaseSlot(node);
      return;
    }
    const smaller = countLeft < countRight ? left : right;
    const larger = smaller === left ? right : left;
    const smallSlot = this.#histograms.acquire();
    this.#histograms.build(smallSlot, this.#partition, this.#start[smaller]!, this.#end[smaller]!, gradients, hessians);
    const parentSlot = this.#slot[node]!;
    this.#histograms.subtract(parentSlot, smallSlot);
    this.#slot[node] = -1;
    this.#slot[smaller] = smallSlot;
    this.#slot[larger] = parentSlot;
    if (leftCanSplit) this.#findSplit(left);
    else this.#releaseSlot(left);
    if (rightCanSplit) this.#findSplit(right);
    else this.#releaseSlot(right);
  }

  #toTree(): Tree {
    const n = this.#nodeCount;
    return new Tree(
      {
        feature: this.#feature.slice(0, n),
        binThreshold: this.#binThreshold.slice(0, n),
        missingLeft: this.#missingLeft.slice(0, n),
        categorical: this.#categorical.slice(0, n),
        leftBins: this.#leftBins.slice(0, n * BIN_BITSET_WORDS),
        left: this.#left.slice(0, n),
        right: this.#right.slice(0, n),
        value: this.#value.slice(0, n),
        gain: this.#gain.slice(0, n),
        count: Int32Array.from({ length: n }, (_, node) => this.#end[node]! - this.#start[node]!),
      },
      this.#binMapper,
    );
  }
}
