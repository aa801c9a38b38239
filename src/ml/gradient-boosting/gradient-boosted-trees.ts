import { assertSameFeatures, type Dataset, type FeatureKind, type FeatureMatrix } from '../dataset.js';
import { MlError } from '../ml-error.js';
import type { BinMapper } from './bin-mapper.js';
import { CompiledForest } from './compiled-forest.js';
import { type TrainingCurve, trainBooster } from './booster.js';
import { type BoostingLoss, boostingLoss } from './boosting-loss.js';
import {
  type GradientBoostingOptions,
  type ResolvedGradientBoostingOptions,
  resolveGradientBoostingOptions,
  resolveThreads,
} from './gradient-boosting-options.js';
import {
  type GradientBoostedTreesJson,
  type GradientBoostedTreesParts,
  gradientBoostedTreesFromJson,
  gradientBoostedTreesToJson,
} from './model-json.js';
import type { Tree } from './tree.js';

/**
 * A histogram gradient-boosted tree classifier (binary log loss or softmax cross-entropy), built
 * to behave like scikit-learn's HistGradientBoostingClassifier: quantile binning into ≤ 255 bins,
 * best-first trees, missing values sent to the better side per split, native categorical splits.
 * Training is deterministic (no randomness is used, so there is no seed to record).
 */
/** From this many rows on, prediction bins the matrix first (cheaper than walking raw values). */
const BINNED_PREDICTION_MIN_ROWS = 256;

export class GradientBoostedTrees {
  readonly featureNames: readonly string[];
  readonly featureKinds: readonly FeatureKind[];
  readonly classNames: readonly string[];
  readonly options: ResolvedGradientBoostingOptions;
  /** Boosting iterations kept (fewer than maxIterations when stopped early). */
  readonly iterations: number;
  /** Train/validation loss per iteration (index 0 = baseline), when fitted with a validation set. */
  readonly trainingCurve: TrainingCurve | null;
  readonly #binMapper: BinMapper;
  #compiled: CompiledForest | null = null;
  readonly #baseline: Float64Array;
  readonly #trees: readonly Tree[];
  readonly #loss: BoostingLoss;

  private constructor(parts: GradientBoostedTreesParts) {
    this.featureNames = parts.featureNames;
    this.featureKinds = parts.featureKinds;
    this.classNames = parts.classNames;
    this.options = parts.options;
    this.iterations = parts.iterations;
    this.trainingCurve = parts.trainingCurve;
    this.#binMapper = parts.binMapper;
    this.#baseline = parts.baseline;
    this.#trees = parts.trees;
    this.#loss = boostingLoss(parts.classNames.length);
  }

  /**
   * Fits on `train`. With `validation` (same features and classes; for time-ordered data, the
   * later rows) the loss curve is recorded and training stops early unless disabled.
   */
  static fit(train: Dataset, options: GradientBoostingOptions = {}, validation?: Dataset): GradientBoostedTrees {
    const resolved = resolveGradientBoostingOptions(options);
    if (validation) {
      assertSameFeatures(validation, train.featureNames, train.featureKinds);
      const sameClasses =
        validation.classNames.length === train.classNames.length &&
        validation.classNames.every((name, k) => name === train.classNames[k]);
      if (!sameClasses) {
        throw new MlError(
          'TIPSTER_ERR_ML_SCHEMA_MISMATCH',
          `Validation classes [${validation.classNames.join(', ')}] differ from training classes [${train.classNames.join(', ')}]`,
        );
      }
    }
    const result = trainBooster(train, resolved, validation ?? null, resolveThreads(options));
    return new GradientBoostedTrees({
      featureNames: train.featureNames,
      featureKinds: train.featureKinds,
      classNames: train.classNames,
      options: resolved,
      binMapper: result.binMapper,
      baseline: result.baseline,
      trees: result.trees,
      iterations: result.iterations,
      trainingCurve: result.trainingCurve,
    });
  }

  /** Rebuilds a model stored with toJSON (after JSON.parse); predictions are bit-identical. */
  static fromJSON(json: unknown): GradientBoostedTrees {
    return new GradientBoostedTrees(gradientBoostedTreesFromJson(json));
  }

  /** Trees per iteration: 1 for binary, one per class otherwise. */
  get treesPerIteration(): number {
    return this.#loss.treesPerIteration;
  }

  /** Raw scores (log-odds, or softmax logits), class-major: score of tree-class k for row r at k · rows + r. */
  predictRaw(matrix: FeatureMatrix): Float64Array {
    assertSameFeatures(matrix, this.featureNames, this.featureKinds);
    const rows = matrix.rows;
    const k = this.#loss.treesPerIteration;
    const raw = new Float64Array(k * rows);
    for (let c = 0; c < k; c++) raw.fill(this.#baseline[c]!, c * rows, (c + 1) * rows);
    if (rows < BINNED_PREDICTION_MIN_ROWS) {
      for (let t = 0; t < this.#trees.length; t++) this.#trees[t]!.addRawPredictions(matrix, this.#binMapper, raw, (t % k) * rows);
      return raw;
    }
    // Many rows: bin them once and walk the compiled forest; the binned walk takes the same
    // branches as the raw one, since every split is at a bin edge.
    this.#compiled ??= CompiledForest.compile(this.#trees, this.#binMapper.missingBin);
    this.#compiled.addPredictions(this.#binMapper.transform(matrix), rows, this.featureNames.length, k, raw);
    return raw;
  }

  /** Class probabilities, row-major rows × classes (row r's probabilities at r · classes … + classes − 1). */
  predictProba(matrix: FeatureMatrix): Float64Array {
    const raw = this.predictRaw(matrix);
    const out = new Float64Array(matrix.rows * this.classNames.length);
    this.#loss.probabilities(raw, matrix.rows, out);
    return out;
  }

  /**
   * Gain importance per feature: the loss reduction of every split on it, summed over all trees
   * and normalised to sum to 1 (all zeros when no tree split at all).
   */
  featureImportances(): Float64Array {
    const importances = new Float64Array(this.featureNames.length);
    for (const tree of this.#trees) {
      for (let node = 0; node < tree.nodeCount; node++) {
        const f = tree.feature[node]!;
        if (f >= 0) importances[f]! += tree.gain[node]!;
      }
    }
    let total = 0;
    for (let f = 0; f < importances.length; f++) total += importances[f]!;
    if (total > 0) for (let f = 0; f < importances.length; f++) importances[f]! /= total;
    return importances;
  }

  /** Plain-JSON form for storing as an artifact; JSON.stringify it and reload with fromJSON. */
  toJSON(): GradientBoostedTreesJson {
    return gradientBoostedTreesToJson({
      featureNames: this.featureNames,
      featureKinds: this.featureKinds,
      classNames: this.classNames,
      options: this.options,
      binMapper: this.#binMapper,
      baseline: this.#baseline,
      trees: this.#trees,
      iterations: this.iterations,
      trainingCurve: this.trainingCurve,
    });
  }
}
