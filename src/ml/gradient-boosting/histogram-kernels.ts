/** Values per histogram bin: sum of gradients, sum of hessians, sample count. */
export const HISTOGRAM_STRIDE = 3;

/** A typed array over a SharedArrayBuffer when helper threads must see it, else over ordinary memory. */
export function allocateArray<T extends Float64Array | Int32Array | Uint16Array>(
  type: { new (buffer: ArrayBufferLike): T; readonly BYTES_PER_ELEMENT: number },
  length: number,
  shared: boolean,
): T {
  const bytes = length * type.BYTES_PER_ELEMENT;
  return new type(shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
}

/**
 * Precomputes (f · binsPerFeature + bin) · 3 for every cell of row-major binned data. The kernel
 * then does one 16-bit load per update instead of a byte load, a multiply and an add; measured
 * about 20% faster on 50,000 × 20 rows, at 2 bytes per cell.
 */
export function histogramOffsets(binned: Uint8Array, features: number, binsPerFeature: number, shared: boolean): Uint16Array {
  const offsets = allocateArray(Uint16Array, binned.length, shared);
  for (let i = 0, f = 0; i < binned.length; i++) {
    offsets[i] = (f * binsPerFeature + binned[i]!) * HISTOGRAM_STRIDE;
    if (++f === features) f = 0;
  }
  return offsets;
}

/**
 * Adds rows [start, end) (or indices[start..end) when `indices` is given) to `hist`, reading
 * precomputed offsets. Two features per step give the CPU two independent update chains.
 * Kernels reference nothing outside their own body except HISTOGRAM_STRIDE: helper threads run
 * them from their source text (see helper-threads.ts).
 */
export function accumulateRowsByOffset(
  hist: Float64Array,
  offsets: Uint16Array,
  features: number,
  start: number,
  end: number,
  indices: Int32Array | null,
  gradients: Float64Array,
  hessians: Float64Array,
): void {
  const pairs = features & ~1;
  for (let i = start; i < end; i++) {
    const r = indices === null ? i : indices[i]!;
    const g = gradients[r]!;
    const h = hessians[r]!;
    let at = r * features;
    const stop = at + pairs;
    for (; at < stop; at += 2) {
      const o = offsets[at]!;
      const p = offsets[at + 1]!;
      hist[o]! += g;
      hist[p]! += g;
      hist[o + 1]! += h;
      hist[p + 1]! += h;
      hist[o + 2]! += 1;
      hist[p + 2]! += 1;
    }
    if (pairs !== features) {
      const o = offsets[at]!;
      hist[o]! += g;
      hist[o + 1]! += h;
      hist[o + 2]! += 1;
    }
  }
}

/** As accumulateRowsByOffset, computing each offset from the bin (for histograms beyond 16-bit offsets). */
export function accumulateRowsByBin(
  hist: Float64Array,
  binned: Uint8Array,
  features: number,
  binsPerFeature: number,
  start: number,
  end: number,
  indices: Int32Array | null,
  gradients: Float64Array,
  hessians: Float64Array,
): void {
  const featureStride = binsPerFeature * HISTOGRAM_STRIDE;
  const pairs = features & ~1;
  for (let i = start; i < end; i++) {
    const r = indices === null ? i : indices[i]!;
    const g = gradients[r]!;
    const h = hessians[r]!;
    let at = r * features;
    const stop = at + pairs;
    let base = 0;
    for (; at < stop; at += 2) {
      const o = base + binned[at]! * HISTOGRAM_STRIDE;
      const p = base + featureStride + binned[at + 1]! * HISTOGRAM_STRIDE;
      hist[o]! += g;
      hist[p]! += g;
      hist[o + 1]! += h;
      hist[p + 1]! += h;
      hist[o + 2]! += 1;
      hist[p + 2]! += 1;
      base += 2 * featureStride;
    }
    if (pairs !== features) {
      const o = base + binned[at]! * HISTOGRAM_STRIDE;
      hist[o]! += g;
      hist[o + 1]! += h;
      hist[o + 2]! += 1;
    }
  }
}

/** target += source, entry by entry (merging the partial histograms of row chunks). */
export function addHistogram(target: Float64Array, source: Float64Array): void {
  for (let i = 0; i < target.length; i++) target[i]! += source[i]!;
}
