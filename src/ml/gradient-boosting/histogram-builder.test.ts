import { describe, expect, it } from 'vitest';
import { HistogramBuilder } from './histogram-builder.js';
import { createDataset } from '../dataset.js';
import { HelperThreads } from './helper-threads.js';
import { HISTOGRAM_STRIDE } from './histogram-kernels.js';
import { createTrainingMemory } from './training-memory.js';

const BINS = 256;

/** Row-major bins and gradients on a 1/8 grid, so every sum below is exact in binary floating point. */
function fixture(rows: number, features: number) {
  const binned = new Uint8Array(rows * features);
  const gradients = new Float64Array(rows);
  const hessians = new Float64Array(rows);
  let state = 12345;
  const next = (): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state >>> 8;
  };
  for (let r = 0; r < rows; r++) {
    for (let f = 0; f < features; f++) binned[r * features + f] = f === 0 && r % 5 === 0 ? 255 : next() % 12;
    gradients[r] = ((next() % 33) - 16) / 8;
    hessians[r] = (next() % 9) / 8;
  }
  return { binned, gradients, hessians };
}

/** The obvious O(rows × features) histogram, to compare the kernels with. */
function naiveHistogram(binned: Uint8Array, features: number, rows: readonly number[], g: Float64Array, h: Float64Array): Float64Array {
  const hist = new Float64Array(features * BINS * HISTOGRAM_STRIDE);
  for (const r of rows) {
    for (let f = 0; f < features; f++) {
      const o = (f * BINS + binned[r * features + f]!) * HISTOGRAM_STRIDE;
      hist[o] = hist[o]! + g[r]!;
      hist[o + 1] = hist[o + 1]! + h[r]!;
      hist[o + 2] = hist[o + 2]! + 1;
    }
  }
  return hist;
}

/** Index of the first differing entry, or −1 (toEqual on 70,000-entry typed arrays is slow). */
function firstDifference(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

describe('HistogramBuilder', () => {
  it('builds a tiny histogram exactly: per-bin gradient sum, hessian sum and count', () => {
    // 4 rows, 1 feature: bins 0, 2, 2, 255 (missing).
    const builder = new HistogramBuilder(Uint8Array.of(0, 2, 2, 255), 1, BINS);
    const slot = builder.acquire();
    builder.buildAll(slot, 4, Float64Array.of(-1, 0.5, 0.25, 2), Float64Array.of(0.25, 0.25, 0.125, 0.5));
    const hist = builder.histogram(slot);
    expect(Array.from(hist.subarray(0, 9))).toEqual([-1, 0.25, 1, 0, 0, 0, 0.75, 0.375, 2]);
    expect(Array.from(hist.subarray(255 * 3, 256 * 3))).toEqual([2, 0.5, 1]);
  });

  for (const features of [3, 7, 90]) {
    // 90 features exceed 16-bit offsets and exercise the fallback kernel.
    it(`${features} features: subset build equals the naive sum, and parent − child equals the sibling exactly`, () => {
      const rows = 60;
      const { binned, gradients, hessians } = fixture(rows, features);
      const builder = new HistogramBuilder(binned, features, BINS);
      const parent = builder.acquire();
      builder.buildAll(parent, rows, gradients, hessians);
      const all = Array.from({ length: rows }, (_, r) => r);
      expect(firstDifference(builder.histogram(parent), naiveHistogram(binned, features, all, gradients, hessians))).toBe(-1);

      const left = all.filter((r) => r % 3 !== 1);
      const right = all.filter((r) => r % 3 === 1);
      const partition = Int32Array.from([...left, ...right]);
      const child = builder.acquire();
      builder.build(child, partition, left.length, rows, gradients, hessians);
      expect(firstDifference(builder.histogram(child), naiveHistogram(binned, features, right, gradients, hessians))).toBe(-1);

      builder.subtract(parent, child);
      expect(firstDifference(builder.histogram(parent), naiveHistogram(binned, features, left, gradients, hessians))).toBe(-1);
    });
  }

  it('reuses released slots instead of allocating', () => {
    const builder = new HistogramBuilder(new Uint8Array(4), 1, BINS);
    const a = builder.acquire();
    const b = builder.acquire();
    builder.release(a);
    expect(builder.acquire()).toBe(a);
    builder.releaseAll();
    expect([builder.acquire(), builder.acquire()].sort()).toEqual([a, b].sort());
  });

  it('builds large histograms in row chunks on helper threads, bit-identical to one thread', async () => {
    // 4,000 rows × 20 features is past the chunking threshold (2^16 cells).
    const rows = 4000;
    const features = 20;
    const { binned, gradients: g, hessians: h } = fixture(rows, features);
    // Unrounded gradients, so a different summation order would show in the last bits.
    for (let r = 0; r < rows; r++) g[r] = Math.sin(r) / 3;
    const dataset = createDataset({
      featureNames: Array.from({ length: features }, (_, f) => `f${f}`),
      classNames: ['a', 'b'],
      values: new Float64Array(rows * features),
      labels: new Int32Array(rows),
    });
    const memory = createTrainingMemory(dataset, binned, BINS, 1, 'binary', true);
    const { gradients, hessians, partition } = memory;
    gradients.set(g);
    hessians.set(h);
    for (let i = 0; i < rows; i++) partition[i] = (i * 7) % rows;
    const helpers = new HelperThreads(2, memory);
    const parallel = new HistogramBuilder(memory.binned, features, BINS, { offsets: memory.offsets, partials: memory.partials, helpers });
    const single = new HistogramBuilder(binned, features, BINS);
    try {
      for (let waited = 0; !parallel.helpersReady && waited < 5000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(parallel.helpersReady).toBe(true);
      const [a, b] = [parallel.acquire(), single.acquire()];
      parallel.buildAll(a, rows, gradients, hessians);
      single.buildAll(b, rows, g, h);
      expect(firstDifference(parallel.histogram(a), single.histogram(b))).toBe(-1);
      parallel.build(a, partition, 100, 3900, gradients, hessians);
      single.build(b, partition, 100, 3900, g, h);
      expect(firstDifference(parallel.histogram(a), single.histogram(b))).toBe(-1);
      const counts = parallel.histogram(a).filter((_, i) => i % HISTOGRAM_STRIDE === 2);
      expect(counts.reduce((sum, c) => sum + c, 0)).toBe(3800 * features);
    } finally {
      helpers.close();
    }
  });
});
