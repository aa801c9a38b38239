import os from 'node:os';
import { MlError } from '../ml-error.js';
import { MAX_BINS } from './bin-mapper.js';
import { ROW_CHUNKS } from './helper-threads.js';

/** Options of GradientBoostedTrees.fit; defaults are scikit-learn's HistGradientBoostingClassifier's. */
export interface GradientBoostingOptions {
  /** Shrinkage of every leaf value (default 0.1). */
  readonly learningRate?: number;
  /** Boosting iterations; each grows one tree per class (one in total for binary). Default 100. */
  readonly maxIterations?: number;
  /** Most leaves per tree (default 31). */
  readonly maxLeafNodes?: number;
  /** Deepest a leaf may be, root = 0; null (default) for no limit beyond maxLeafNodes. */
  readonly maxDepth?: number | null;
  /** Fewest training rows in a leaf (default 20). */
  readonly minSamplesLeaf?: number;
  /** L2 penalty λ on leaf values: value = −G / (H + λ) (default 0). */
  readonly l2Regularization?: number;
  /** Bins for non-missing values per numeric feature, at most 255 (default 255). */
  readonly maxBins?: number;
  /** Least hessian sum a child may have (default 1e-3). */
  readonly minHessianToSplit?: number;
  /**
   * Stop when, with a validation set, the validation loss has not dropped by more than
   * `tolerance` below the loss `iterationsNoChange` iterations earlier (scikit-learn's rule).
   * Default { iterationsNoChange: 10, tolerance: 1e-7 }; false records the curve but never stops.
   */
  readonly earlyStopping?: false | { readonly iterationsNoChange?: number; readonly tolerance?: number };
  /**
   * Threads that build large histograms, the caller's included: 1 or 2 (a histogram is split into
   * two row chunks). Default: 2 when two CPUs are available. Results are bit-identical either way,
   * so this is not stored with the model. Fits under 2^18 cells (rows × features) use one thread.
   */
  readonly threads?: number;
}

/** Options with every default filled in; stored with the model. */
export interface ResolvedGradientBoostingOptions {
  readonly learningRate: number;
  readonly maxIterations: number;
  readonly maxLeafNodes: number;
  readonly maxDepth: number | null;
  readonly minSamplesLeaf: number;
  readonly l2Regularization: number;
  readonly maxBins: number;
  readonly minHessianToSplit: number;
  readonly earlyStopping: false | { readonly iterationsNoChange: number; readonly tolerance: number };
}

function check(name: string, value: number, ok: boolean, expected: string): number {
  if (!ok) throw new MlError('TIPSTER_ERR_ML_OPTION_INVALID', `${name} must be ${expected}, got ${value}`);
  return value;
}

function integerAtLeast(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  return check(name, value, Number.isInteger(value) && value >= min && value <= max, `an integer in [${min}, ${max}]`);
}

function nonNegative(name: string, value: number): number {
  return check(name, value, value >= 0 && value < Infinity, 'a finite number >= 0');
}

/** Fills defaults and validates every option once, so a bad value fails before any work. */
export function resolveGradientBoostingOptions(options: GradientBoostingOptions = {}): ResolvedGradientBoostingOptions {
  const learningRate = options.learningRate ?? 0.1;
  check('learningRate', learningRate, learningRate > 0 && learningRate < Infinity, 'a finite number > 0');
  const maxDepth = options.maxDepth ?? null;
  const stopping = options.earlyStopping ?? {};
  return Object.freeze({
    learningRate,
    maxIterations: integerAtLeast('maxIterations', options.maxIterations ?? 100, 1),
    maxLeafNodes: integerAtLeast('maxLeafNodes', options.maxLeafNodes ?? 31, 2, 65_536),
    maxDepth: maxDepth === null ? null : integerAtLeast('maxDepth', maxDepth, 1),
    minSamplesLeaf: integerAtLeast('minSamplesLeaf', options.minSamplesLeaf ?? 20, 1),
    l2Regularization: nonNegative('l2Regularization', options.l2Regularization ?? 0),
    maxBins: integerAtLeast('maxBins', options.maxBins ?? MAX_BINS, 2, MAX_BINS),
    minHessianToSplit: nonNegative('minHessianToSplit', options.minHessianToSplit ?? 1e-3),
    earlyStopping:
      stopping === false
        ? false
        : Object.freeze({
            iterationsNoChange: integerAtLeast('earlyStopping.iterationsNoChange', stopping.iterationsNoChange ?? 10, 1),
            tolerance: nonNegative('earlyStopping.tolerance', stopping.tolerance ?? 1e-7),
          }),
  });
}

/** Threads for histogram building: the option if given, else the available CPUs up to ROW_CHUNKS. */
export function resolveThreads(options: GradientBoostingOptions = {}): number {
  return integerAtLeast('threads', options.threads ?? Math.min(ROW_CHUNKS, os.availableParallelism()), 1, ROW_CHUNKS);
}
