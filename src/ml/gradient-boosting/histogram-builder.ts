import { CHUNKED_MIN_CELLS, chunkStart, type HelperThreads, ROW_CHUNKS } from './helper-threads.js';
import {
  accumulateRowsByBin,
  accumulateRowsByOffset,
  addHistogram,
  allocateArray,
  HISTOGRAM_STRIDE,
  histogramOffsets,
} from './histogram-kernels.js';

/** Arrays from createTrainingMemory a builder works on, and the helpers that share the work. */
export interface HistogramSharing {
  readonly offsets: Uint16Array | null;
  readonly partials: readonly Float64Array[];
  readonly helpers: HelperThreads | null;
}

/**
 * Gradient/hessian histograms of tree nodes over row-major binned data.
 *
 * A histogram is one Float64Array of features × binsPerFeature × 3; bin b of feature f starts at
 * (f · binsPerFeature + b) · 3. Rows are visited in index order and each row's bins are contiguous,
 * so one cache line serves every feature of a row. Large builds are split into ROW_CHUNKS row
 * ranges that helper threads share. Histograms live in a pool of slots that is allocated on first
 * use and reused for every later node and tree, so growing a tree allocates nothing.
 */
export class HistogramBuilder {
  readonly features: number;
  readonly binsPerFeature: number;
  readonly size: number;
  readonly #binned: Uint8Array;
  /** Histogram offset of every (row, feature) when they fit 16 bits; null means compute from the bin. */
  readonly #offsets: Uint16Array | null;
  readonly #pool: Float64Array[] = [];
  readonly #free: number[] = [];
  /** Partial histograms of chunks 1 … ROW_CHUNKS−1. */
  readonly #partials: readonly Float64Array[];
  readonly #threads: HelperThreads | null;
  readonly #takenByHelper = new Uint8Array(ROW_CHUNKS);

  /** Without `sharing`, allocates its own offsets and chunk histograms and builds everything alone. */
  constructor(binned: Uint8Array, features: number, binsPerFeature: number, sharing?: HistogramSharing) {
    this.#binned = binned;
    this.features = features;
    this.binsPerFeature = binsPerFeature;
    this.size = features * binsPerFeature * HISTOGRAM_STRIDE;
    if (sharing) {
      this.#offsets = sharing.offsets;
      this.#partials = sharing.partials;
      this.#threads = sharing.helpers;
    } else {
      this.#offsets = this.size <= 65_536 ? histogramOffsets(binned, features, binsPerFeature, false) : null;
      this.#partials = Array.from({ length: ROW_CHUNKS - 1 }, () => allocateArray(Float64Array, this.size, false));
      this.#threads = null;
    }
  }

  /** A free slot (its contents are stale until built). */
  acquire(): number {
    const slot = this.#free.pop();
    if (slot !== undefined) return slot;
    this.#pool.push(new Float64Array(this.size));
    return this.#pool.length - 1;
  }

  /** Returns a slot to the pool. */
  release(slot: number): void {
    this.#free.push(slot);
  }

  /** Marks every slot free (start of a new tree). */
  releaseAll(): void {
    this.#free.length = 0;
    for (let slot = this.#pool.length - 1; slot >= 0; slot--) this.#free.push(slot);
  }

  /** The histogram stored in a slot. */
  histogram(slot: number): Float64Array {
    return this.#pool[slot]!;
  }

  /** Builds the histogram of every row 0 … rows−1 (the root: no index indirection). */
  buildAll(slot: number, rows: number, gradients: Float64Array, hessians: Float64Array): void {
    this.#build(this.#pool[slot]!, null, 0, rows, gradients, hessians);
  }

  /** Builds the histogram of the rows `indices[start..end)`. */
  build(slot: number, indices: Int32Array, start: number, end: number, gradients: Float64Array, hessians: Float64Array): void {
    this.#build(this.#pool[slot]!, indices, start, end, gradients, hessians);
  }

  /** The subtraction trick: turns the parent's histogram (in `parentSlot`) into its other child's, in place. */
  subtract(parentSlot: number, childSlot: number): void {
    const parent = this.#pool[parentSlot]!;
    const child = this.#pool[childSlot]!;
    for (let i = 0; i < parent.length; i++) parent[i]! -= child[i]!;
  }

  /** True once helper threads are running (until then, and without helpers, the caller builds every chunk). */
  get helpersReady(): boolean {
    return this.#threads?.ready ?? false;
  }

  #accumulate(
    hist: Float64Array,
    indices: Int32Array | null,
    start: number,
    end: number,
    gradients: Float64Array,
    hessians: Float64Array,
  ): void {
    hist.fill(0);
    if (this.#offsets) accumulateRowsByOffset(hist, this.#offsets, this.features, start, end, indices, gradients, hessians);
    else accumulateRowsByBin(hist, this.#binned, this.features, this.binsPerFeature, start, end, indices, gradients, hessians);
  }

  #build(
    hist: Float64Array,
    indices: Int32Array | null,
    start: number,
    end: number,
    gradients: Float64Array,
    hessians: Float64Array,
  ): void {
    if ((end - start) * this.features < CHUNKED_MIN_CELLS) {
      this.#accumulate(hist, indices, start, end, gradients, hessians);
      return;
    }
    // Helpers only join once running; until then the caller simply builds every chunk itself.
    const threads = this.#threads?.ready ? this.#threads : null;
    threads?.dispatch('histogram', indices !== null, start, end, gradients, hessians);
    this.#accumulate(hist, indices, start, chunkStart(start, end, 1), gradients, hessians);
    const takenByHelper = this.#takenByHelper;
    for (let chunk = 1; chunk < ROW_CHUNKS; chunk++) {
      takenByHelper[chunk] = threads !== null && !threads.claim(chunk) ? 1 : 0;
      if (takenByHelper[chunk] === 1) continue;
      const from = chunkStart(start, end, chunk);
      this.#accumulate(this.#partials[chunk - 1]!, indices, from, chunkStart(start, end, chunk + 1), gradients, hessians);
    }
    for (let chunk = 1; chunk < ROW_CHUNKS; chunk++) if (takenByHelper[chunk] === 1) threads!.waitFor(chunk);
    for (let chunk = 1; chunk < ROW_CHUNKS; chunk++) addHistogram(hist, this.#partials[chunk - 1]!);
  }
}
