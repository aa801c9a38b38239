import type { Dataset } from '../dataset.js';
import { BinMapper } from './bin-mapper.js';
import { type BoostingLoss, boostingLoss } from './boosting-loss.js';
import { shouldStopEarly } from './early-stopping.js';
import type { ResolvedGradientBoostingOptions } from './gradient-boosting-options.js';
import { chunkStart, HelperThreads, PARALLEL_MIN_CELLS, ROW_CHUNKS, type TrainingMemory } from './helper-threads.js';
import type { Tree } from './tree.js';
import { createTrainingMemory } from './training-memory.js';
import { TreeGrower } from './tree-grower.js';

/**
 * Most training rows the curve's training loss is measured on (evenly spaced rows beyond this),
 * as scikit-learn scores a 10,000-row subsample: the curve is for looking at, and a full pass of
 * exp and log per row per iteration cost a third of a small fit.
 */
export const TRAIN_LOSS_SAMPLE_ROWS = 10_000;

/** Train and validation loss after each iteration; index 0 is the constant baseline model. */
export interface TrainingCurve {
  /** Loss on the training rows (on TRAIN_LOSS_SAMPLE_ROWS evenly spaced ones when there are more). */
  readonly trainLoss: readonly number[];
  readonly validationLoss: readonly number[];
  /** True when the early-stopping rule ended training before maxIterations. */
  readonly stoppedEarly: boolean;
}

/** What boosting produces: the binning, the baseline raw scores and the trees (iteration-major). */
export interface BoosterResult {
  readonly binMapper: BinMapper;
  readonly baseline: Float64Array;
  /** trees[iteration · treesPerIteration + k]. */
  readonly trees: readonly Tree[];
  readonly iterations: number;
  readonly trainingCurve: TrainingCurve | null;
}

/**
 * Gradient boosting with Newton steps: every iteration computes gradients and hessians at the
 * current raw scores, grows one tree per class on them, and adds the shrunk leaf values. With a
 * validation set (the caller's later rows, for a time-ordered split) the loss curve is recorded
 * and training stops early as scikit-learn does; the trees of the last iterations are kept.
 */
export function trainBooster(
  train: Dataset,
  options: ResolvedGradientBoostingOptions,
  validation: Dataset | null,
  threads = 1,
): BoosterResult {
  const rows = train.rows;
  const loss = boostingLoss(train.classNames.length);
  const binMapper = BinMapper.fit(train, options.maxBins);
  const binned = binMapper.transform(train);
  const binsPerFeature = binMapper.maxBins + 1;
  const shared = threads > 1 && rows * train.featureNames.length >= PARALLEL_MIN_CELLS;
  const memory = createTrainingMemory(train, binned, binsPerFeature, loss.treesPerIteration, loss.gradientKernel, shared);
  const helpers = shared ? new HelperThreads(threads, memory) : null;
  const grower = new TreeGrower(
    memory.binned,
    rows,
    binMapper,
    {
      nonMissingBins: binMapper.nonMissingBins,
      hasMissing: binMapper.hasMissing,
      categorical: Uint8Array.from(train.featureKinds, (kind) => (kind === 'categorical' ? 1 : 0)),
      missingBin: binMapper.missingBin,
      binsPerFeature,
      l2Regularization: options.l2Regularization,
      minSamplesLeaf: options.minSamplesLeaf,
      minHessianToSplit: options.minHessianToSplit,
      maxLeafNodes: options.maxLeafNodes,
      maxDepth: options.maxDepth ?? Infinity,
      learningRate: options.learningRate,
    },
    memory,
    helpers,
  );
  try {
    return boost({ train, validation, options, loss, binMapper, grower, memory, helpers });
  } finally {
    helpers?.close();
  }
}

/** Gradients and hessians at memory.raw, row chunks shared with the helpers once they are running. */
function computeGradients(loss: BoostingLoss, memory: TrainingMemory, helpers: HelperThreads | null, takenByHelper: Uint8Array): void {
  const { raw, labels, weights, gradients, hessians, rows } = memory;
  if (!helpers?.ready) {
    loss.computeGradients(raw, labels, weights, gradients, hessians, 0, rows);
    return;
  }
  helpers.dispatch('gradients', false, 0, rows, gradients, hessians);
  loss.computeGradients(raw, labels, weights, gradients, hessians, 0, chunkStart(0, rows, 1));
  for (let chunk = 1; chunk < ROW_CHUNKS; chunk++) {
    takenByHelper[chunk] = helpers.claim(chunk) ? 0 : 1;
    if (takenByHelper[chunk] === 0) {
      loss.computeGradients(raw, labels, weights, gradients, hessians, chunkStart(0, rows, chunk), chunkStart(0, rows, chunk + 1));
    }
  }
  for (let chunk = 1; chunk < ROW_CHUNKS; chunk++) if (takenByHelper[chunk] === 1) helpers.waitFor(chunk);
}

/** What the boosting loop works with, set up by trainBooster. */
interface BoostingContext {
  readonly train: Dataset;
  readonly validation: Dataset | null;
  readonly options: ResolvedGradientBoostingOptions;
  readonly loss: BoostingLoss;
  readonly binMapper: BinMapper;
  readonly grower: TreeGrower;
  readonly memory: TrainingMemory;
  readonly helpers: HelperThreads | null;
}

function boost({ train, validation, options, loss, binMapper, grower, memory, helpers }: BoostingContext): BoosterResult {
  const rows = train.rows;
  const k = loss.treesPerIteration;
  const { raw, gradients, hessians } = memory;
  const takenByHelper = new Uint8Array(ROW_CHUNKS);

  const baseline = loss.baseline(train.labels, train.weights);
  for (let c = 0; c < k; c++) raw.fill(baseline[c]!, c * rows, (c + 1) * rows);
  const gradientViews: Float64Array[] = [];
  const hessianViews: Float64Array[] = [];
  for (let c = 0; c < k; c++) {
    gradientViews.push(gradients.subarray(c * rows, (c + 1) * rows));
    hessianViews.push(hessians.subarray(c * rows, (c + 1) * rows));
  }

  const validationRows = validation?.rows ?? 0;
  const validationBinned = validation ? binMapper.transform(validation) : null;
  const validationRaw = new Float64Array(k * validationRows);
  for (let c = 0; c < k; c++) validationRaw.fill(baseline[c]!, c * validationRows, (c + 1) * validationRows);
  const trainLoss: number[] = [];
  const validationLoss: number[] = [];
  const trainLossOf = validation ? trainingLossSampler(train, k, loss) : null;
  if (validation) {
    trainLoss.push(trainLossOf!(raw));
    validationLoss.push(loss.meanLoss(validationRaw, validation.labels, validation.weights));
  }

  const trees: Tree[] = [];
  let iterations = 0;
  let stoppedEarly = false;
  while (iterations < options.maxIterations) {
    computeGradients(loss, memory, helpers, takenByHelper);
    for (let c = 0; c < k; c++) {
      const tree = grower.grow(gradientViews[c]!, hessianViews[c]!, raw, c * rows);
      trees.push(tree);
      if (validationBinned) {
        tree.addBinnedPredictions(validationBinned, validationRows, train.featureNames.length, binMapper.missingBin, validationRaw, c * validationRows);
      }
    }
    iterations++;
    if (validation) {
      trainLoss.push(trainLossOf!(raw));
      validationLoss.push(loss.meanLoss(validationRaw, validation.labels, validation.weights));
      const stopping = options.earlyStopping;
      if (stopping && shouldStopEarly(validationLoss, stopping.iterationsNoChange, stopping.tolerance)) {
        stoppedEarly = iterations < options.maxIterations;
        break;
      }
    }
  }
  return {
    binMapper,
    baseline,
    trees,
    iterations,
    trainingCurve: validation ? Object.freeze({ trainLoss, validationLoss, stoppedEarly }) : null,
  };
}

/**
 * The training loss at the current raw scores, on every row or, beyond TRAIN_LOSS_SAMPLE_ROWS, on
 * evenly spaced rows (their scores are gathered into a buffer allocated once).
 */
function trainingLossSampler(train: Dataset, k: number, loss: BoostingLoss): (raw: Float64Array) => number {
  const rows = train.rows;
  if (rows <= TRAIN_LOSS_SAMPLE_ROWS) return (raw) => loss.meanLoss(raw, train.labels, train.weights);
  const sample = TRAIN_LOSS_SAMPLE_ROWS;
  const picked = Int32Array.from({ length: sample }, (_, i) => Math.floor((i * rows) / sample));
  const labels = Int32Array.from(picked, (r) => train.labels[r]!);
  const weights = train.weights === null ? null : Float64Array.from(picked, (r) => train.weights![r]!);
  const gathered = new Float64Array(k * sample);
  return (raw) => {
    for (let c = 0; c < k; c++) {
      const from = c * rows;
      const to = c * sample;
      for (let i = 0; i < sample; i++) gathered[to + i] = raw[from + picked[i]!]!;
    }
    return loss.meanLoss(gathered, labels, weights);
  };
}
