import { type FeatureKind, isFeatureKind } from '../dataset.js';
import { MlError } from '../ml-error.js';
import { BinMapper, MAX_BINS } from './bin-mapper.js';
import type { TrainingCurve } from './booster.js';
import {
  type GradientBoostingOptions,
  type ResolvedGradientBoostingOptions,
  resolveGradientBoostingOptions,
} from './gradient-boosting-options.js';
import { BIN_BITSET_WORDS } from './split-finder.js';
import { Tree } from './tree.js';

/** Identifies a stored gradient-boosted-trees model. */
export const GBT_MODEL_FORMAT = 'tipster.gradient-boosted-trees';
/** Layout version of a stored model; bump on any incompatible change. */
export const GBT_MODEL_VERSION = 1;

/** Everything a fitted model is made of. */
export interface GradientBoostedTreesParts {
  readonly featureNames: readonly string[];
  readonly featureKinds: readonly FeatureKind[];
  readonly classNames: readonly string[];
  readonly options: ResolvedGradientBoostingOptions;
  readonly binMapper: BinMapper;
  readonly baseline: Float64Array;
  readonly trees: readonly Tree[];
  readonly iterations: number;
  readonly trainingCurve: TrainingCurve | null;
}

/** One tree as JSON: parallel per-node arrays, as in memory. */
export interface TreeJson {
  readonly feature: number[];
  readonly binThreshold: number[];
  readonly missingLeft: number[];
  readonly categorical: number[];
  /** Per node, the bins sent left by a categorical split (empty otherwise). */
  readonly leftCategoryBins: number[][];
  readonly left: number[];
  readonly right: number[];
  readonly value: number[];
  readonly gain: number[];
  readonly count: number[];
}

/**
 * A fitted model as plain JSON. Every number is a finite double, which JSON.stringify writes in
 * shortest round-trip form, so a reloaded model predicts bit for bit the same.
 */
export interface GradientBoostedTreesJson {
  readonly format: typeof GBT_MODEL_FORMAT;
  readonly version: typeof GBT_MODEL_VERSION;
  readonly featureNames: string[];
  readonly featureKinds: FeatureKind[];
  readonly classNames: string[];
  readonly options: ResolvedGradientBoostingOptions;
  readonly binning: {
    readonly maxBins: number;
    readonly thresholds: number[][];
    readonly categories: number[][];
    readonly hasMissing: number[];
  };
  readonly baseline: number[];
  readonly iterations: number;
  readonly trees: TreeJson[];
  readonly trainingCurve: TrainingCurve | null;
}

function treeToJson(tree: Tree): TreeJson {
  const nodes = tree.nodeCount;
  const leftCategoryBins: number[][] = [];
  for (let node = 0; node < nodes; node++) {
    const bins: number[] = [];
    if (tree.categorical[node] === 1) {
      for (let bin = 0; bin < BIN_BITSET_WORDS * 32; bin++) {
        if ((tree.leftBins[node * BIN_BITSET_WORDS + (bin >>> 5)]! & (1 << (bin & 31))) !== 0) bins.push(bin);
      }
    }
    leftCategoryBins.push(bins);
  }
  return {
    feature: Array.from(tree.feature),
    binThreshold: Array.from(tree.binThreshold),
    missingLeft: Array.from(tree.missingLeft),
    categorical: Array.from(tree.categorical),
    leftCategoryBins,
    left: Array.from(tree.left),
    right: Array.from(tree.right),
    value: Array.from(tree.value),
    gain: Array.from(tree.gain),
    count: Array.from(tree.count),
  };
}

/** Serialises a fitted model (see GradientBoostedTreesJson). */
export function gradientBoostedTreesToJson(parts: GradientBoostedTreesParts): GradientBoostedTreesJson {
  const mapper = parts.binMapper;
  return {
    format: GBT_MODEL_FORMAT,
    version: GBT_MODEL_VERSION,
    featureNames: [...parts.featureNames],
    featureKinds: [...parts.featureKinds],
    classNames: [...parts.classNames],
    options: parts.options,
    binning: {
      maxBins: mapper.maxBins,
      thresholds: mapper.thresholds.map((edges) => Array.from(edges)),
      categories: mapper.categories.map((codes) => Array.from(codes)),
      hasMissing: Array.from(mapper.hasMissing),
    },
    baseline: Array.from(parts.baseline),
    iterations: parts.iterations,
    trees: parts.trees.map(treeToJson),
    trainingCurve: parts.trainingCurve,
  };
}

function invalid(reason: string): never {
  throw new MlError('TIPSTER_ERR_ML_MODEL_INVALID', `Not a valid gradient-boosted-trees model: ${reason}`);
}

function record(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) invalid(`${where} is not an object`);
  return value as Record<string, unknown>;
}

function numbers(value: unknown, where: string, length?: number, integer = false): number[] {
  if (!Array.isArray(value)) invalid(`${where} is not an array`);
  if (length !== undefined && value.length !== length) invalid(`${where} has ${value.length} entries, expected ${length}`);
  for (const x of value) {
    if (typeof x !== 'number' || !Number.isFinite(x) || (integer && !Number.isInteger(x))) {
      invalid(`${where} holds ${JSON.stringify(x)}, expected a finite ${integer ? 'integer' : 'number'}`);
    }
  }
  return value as number[];
}

function strings(value: unknown, where: string): string[] {
  if (!Array.isArray(value) || !value.every((x) => typeof x === 'string')) invalid(`${where} is not an array of strings`);
  return value as string[];
}

function inRange(values: readonly number[], min: number, max: number, where: string): void {
  for (const x of values) if (x < min || x > max) invalid(`${where} holds ${x}, outside [${min}, ${max}]`);
}

function treeFromJson(value: unknown, where: string, features: number, mapper: BinMapper): Tree {
  const json = record(value, where);
  const feature = numbers(json.feature, `${where}.feature`, undefined, true);
  const nodes = feature.length;
  if (nodes === 0) invalid(`${where} has no nodes`);
  inRange(feature, -1, features - 1, `${where}.feature`);
  const left = numbers(json.left, `${where}.left`, nodes, true);
  const right = numbers(json.right, `${where}.right`, nodes, true);
  inRange(left, -1, nodes - 1, `${where}.left`);
  inRange(right, -1, nodes - 1, `${where}.right`);
  for (let node = 0; node < nodes; node++) {
    // Children always come after their parent, so a walk from the root cannot loop.
    if (feature[node]! >= 0 && !(left[node]! > node && right[node]! > node)) invalid(`${where} node ${node} has bad children`);
  }
  const binThreshold = numbers(json.binThreshold, `${where}.binThreshold`, nodes, true);
  inRange(binThreshold, 0, MAX_BINS, `${where}.binThreshold`);
  const missingLeft = numbers(json.missingLeft, `${where}.missingLeft`, nodes, true);
  inRange(missingLeft, 0, 1, `${where}.missingLeft`);
  const categorical = numbers(json.categorical, `${where}.categorical`, nodes, true);
  inRange(categorical, 0, 1, `${where}.categorical`);
  const bins = json.leftCategoryBins;
  if (!Array.isArray(bins) || bins.length !== nodes) invalid(`${where}.leftCategoryBins must have one entry per node`);
  const leftBins = new Uint32Array(nodes * BIN_BITSET_WORDS);
  bins.forEach((list: unknown, node) => {
    const entries = numbers(list, `${where}.leftCategoryBins[${node}]`, undefined, true);
    inRange(entries, 0, MAX_BINS, `${where}.leftCategoryBins[${node}]`);
    for (const bin of entries) leftBins[node * BIN_BITSET_WORDS + (bin >>> 5)]! |= 1 << (bin & 31);
  });
  for (let node = 0; node < nodes; node++) {
    const f = feature[node]!;
    if (f >= 0 && (categorical[node] === 1) !== (mapper.featureKinds[f] === 'categorical')) {
      invalid(`${where} node ${node} splits feature ${f} as the wrong kind`);
    }
  }
  return new Tree(
    {
      feature: Int32Array.from(feature),
      binThreshold: Uint8Array.from(binThreshold),
      missingLeft: Uint8Array.from(missingLeft),
      categorical: Uint8Array.from(categorical),
      leftBins,
      left: Int32Array.from(left),
      right: Int32Array.from(right),
      value: Float64Array.from(numbers(json.value, `${where}.value`, nodes)),
      gain: Float64Array.from(numbers(json.gain, `${where}.gain`, nodes)),
      count: Int32Array.from(numbers(json.count, `${where}.count`, nodes, true)),
    },
    mapper,
  );
}

function binMapperFromJson(value: unknown, featureKinds: readonly FeatureKind[]): BinMapper {
  const json = record(value, 'binning');
  const features = featureKinds.length;
  const maxBins = numbers([json.maxBins], 'binning.maxBins', 1, true)[0]!;
  inRange([maxBins], 2, MAX_BINS, 'binning.maxBins');
  const thresholds = json.thresholds;
  const categories = json.categories;
  if (!Array.isArray(thresholds) || thresholds.length !== features) invalid('binning.thresholds needs one array per feature');
  if (!Array.isArray(categories) || categories.length !== features) invalid('binning.categories needs one array per feature');
  const hasMissing = numbers(json.hasMissing, 'binning.hasMissing', features, true);
  inRange(hasMissing, 0, 1, 'binning.hasMissing');
  return new BinMapper({
    maxBins,
    featureKinds,
    thresholds: thresholds.map((edges: unknown, f) => {
      const list = numbers(edges, `binning.thresholds[${f}]`);
      if (list.length > maxBins - 1) invalid(`binning.thresholds[${f}] has more than ${maxBins - 1} edges`);
      return Float64Array.from(list);
    }),
    categories: categories.map((codes: unknown, f) => {
      const list = numbers(codes, `binning.categories[${f}]`, undefined, true);
      if (list.length > maxBins) invalid(`binning.categories[${f}] has more than ${maxBins} codes`);
      inRange(list, 0, 65_535, `binning.categories[${f}]`);
      return Int32Array.from(list);
    }),
    hasMissing: Uint8Array.from(hasMissing),
  });
}

function trainingCurveFromJson(value: unknown): TrainingCurve | null {
  if (value === null) return null;
  const json = record(value, 'trainingCurve');
  if (typeof json.stoppedEarly !== 'boolean') invalid('trainingCurve.stoppedEarly is not a boolean');
  return Object.freeze({
    trainLoss: numbers(json.trainLoss, 'trainingCurve.trainLoss'),
    validationLoss: numbers(json.validationLoss, 'trainingCurve.validationLoss'),
    stoppedEarly: json.stoppedEarly,
  });
}

/** Checks and rebuilds a model from GradientBoostedTreesJson (e.g. a stored artifact, parsed). */
export function gradientBoostedTreesFromJson(value: unknown): GradientBoostedTreesParts {
  const json = record(value, 'the model');
  if (json.format !== GBT_MODEL_FORMAT) invalid(`format is ${JSON.stringify(json.format)}, expected "${GBT_MODEL_FORMAT}"`);
  if (json.version !== GBT_MODEL_VERSION) invalid(`version ${JSON.stringify(json.version)} is not supported (expected ${GBT_MODEL_VERSION})`);
  const featureNames = strings(json.featureNames, 'featureNames');
  const kinds = json.featureKinds;
  if (!Array.isArray(kinds) || kinds.length !== featureNames.length || !kinds.every(isFeatureKind)) {
    invalid('featureKinds must give a known kind per feature');
  }
  const featureKinds = kinds as FeatureKind[];
  const classNames = strings(json.classNames, 'classNames');
  if (classNames.length < 2) invalid('classNames needs at least 2 classes');
  let options: ResolvedGradientBoostingOptions;
  try {
    options = resolveGradientBoostingOptions(record(json.options, 'options') as GradientBoostingOptions);
  } catch (error) {
    invalid(`options: ${(error as Error).message}`);
  }
  const binMapper = binMapperFromJson(json.binning, featureKinds);
  const treesPerIteration = classNames.length === 2 ? 1 : classNames.length;
  const baseline = Float64Array.from(numbers(json.baseline, 'baseline', treesPerIteration));
  const iterations = numbers([json.iterations], 'iterations', 1, true)[0]!;
  if (!Array.isArray(json.trees) || json.trees.length !== iterations * treesPerIteration) {
    invalid(`trees must hold ${iterations} iterations × ${treesPerIteration} trees`);
  }
  const trees = json.trees.map((tree: unknown, i) => treeFromJson(tree, `trees[${i}]`, featureNames.length, binMapper));
  return {
    featureNames: Object.freeze(featureNames),
    featureKinds: Object.freeze(featureKinds),
    classNames: Object.freeze(classNames),
    options,
    binMapper,
    baseline,
    trees: Object.freeze(trees),
    iterations,
    trainingCurve: trainingCurveFromJson(json.trainingCurve),
  };
}
