import type { Dataset } from '../dataset.js';
import type { GradientKernel } from './gradient-kernels.js';
import { ROW_CHUNKS, type TrainingMemory } from './helper-threads.js';
import { allocateArray, HISTOGRAM_STRIDE, histogramOffsets } from './histogram-kernels.js';

/**
 * Allocates once per fit every array that the boosting loop, the tree grower and helper threads
 * share: gradients, hessians and raw scores (class-major), the row partition, histogram offsets
 * and chunk histograms, and copies of labels and weights. `shared` puts them in
 * SharedArrayBuffers for helper threads.
 */
export function createTrainingMemory(
  train: Dataset,
  binned: Uint8Array,
  binsPerFeature: number,
  treesPerIteration: number,
  gradientKernel: GradientKernel,
  shared: boolean,
): TrainingMemory {
  const rows = train.rows;
  const features = train.featureNames.length;
  const histogramSize = features * binsPerFeature * HISTOGRAM_STRIDE;
  const labels = allocateArray(Int32Array, rows, shared);
  labels.set(train.labels);
  let weights: Float64Array | null = null;
  if (train.weights) {
    weights = allocateArray(Float64Array, rows, shared);
    weights.set(train.weights);
  }
  const partials: Float64Array[] = [];
  for (let chunk = 1; chunk < ROW_CHUNKS; chunk++) partials.push(allocateArray(Float64Array, histogramSize, shared));
  let sharedBinned = binned;
  if (shared) {
    sharedBinned = new Uint8Array(new SharedArrayBuffer(binned.length));
    sharedBinned.set(binned);
  }
  return {
    rows,
    features,
    binsPerFeature,
    // 16-bit offsets cover histograms up to 65,536 entries (85 features at 256 bins).
    offsets: histogramSize <= 65_536 ? histogramOffsets(binned, features, binsPerFeature, shared) : null,
    binned: sharedBinned,
    partition: allocateArray(Int32Array, rows, shared),
    gradients: allocateArray(Float64Array, treesPerIteration * rows, shared),
    hessians: allocateArray(Float64Array, treesPerIteration * rows, shared),
    partials,
    raw: allocateArray(Float64Array, treesPerIteration * rows, shared),
    labels,
    weights,
    gradientKernel,
  };
}
