import { MlError } from './ml-error.js';

/** How a learner treats a feature: an ordered number, or an unordered small integer code. */
export const FEATURE_KINDS = ['numeric', 'categorical'] as const;
/** One of FEATURE_KINDS. */
export type FeatureKind = (typeof FEATURE_KINDS)[number];

const featureKindSet: ReadonlySet<string> = new Set(FEATURE_KINDS);

/** True when `value` is one of FEATURE_KINDS. */
export function isFeatureKind(value: unknown): value is FeatureKind {
  return typeof value === 'string' && featureKindSet.has(value);
}

/** Largest categorical code accepted; codes index lookup tables, so they must stay small. */
export const MAX_CATEGORY_CODE = 65_535;

/**
 * Feature values without labels: what a fitted model needs to predict.
 * Column-major: feature `f` of row `r` is `values[f * rows + r]`; NaN means missing.
 */
export interface FeatureMatrix {
  readonly rows: number;
  readonly featureNames: readonly string[];
  readonly featureKinds: readonly FeatureKind[];
  readonly values: Float64Array;
}

/** A feature matrix with class labels (and optional sample weights): what a learner fits on. */
export interface Dataset extends FeatureMatrix {
  /** Class names in index order, e.g. ['home', 'draw', 'away']; at least two. */
  readonly classNames: readonly string[];
  /** Class index of each row, in [0, classNames.length). */
  readonly labels: Int32Array;
  /** Non-negative weight per row, or null for all ones. */
  readonly weights: Float64Array | null;
}

/** What createFeatureMatrix needs. `values` is taken over, not copied. */
export interface FeatureMatrixInput {
  readonly featureNames: readonly string[];
  /** Defaults to all 'numeric'. */
  readonly featureKinds?: readonly FeatureKind[];
  /** Column-major rows × features; NaN = missing. */
  readonly values: Float64Array;
}

/** What createDataset needs. Labels may be any numeric array; they are checked and copied to an Int32Array. */
export interface DatasetInput extends FeatureMatrixInput {
  readonly classNames: readonly string[];
  readonly labels: ArrayLike<number>;
  readonly weights?: Float64Array | null;
}

function validateSchema(featureNames: readonly string[], featureKinds: readonly FeatureKind[]): void {
  if (featureNames.length === 0) throw new MlError('TIPSTER_ERR_ML_FEATURE_INVALID', 'A dataset needs at least one feature');
  const seen = new Set<string>();
  for (const name of featureNames) {
    if (typeof name !== 'string' || name.length === 0) {
      throw new MlError('TIPSTER_ERR_ML_FEATURE_INVALID', `Feature names must be non-empty strings, got ${JSON.stringify(name)}`);
    }
    if (seen.has(name)) throw new MlError('TIPSTER_ERR_ML_FEATURE_INVALID', `Feature name "${name}" appears twice`);
    seen.add(name);
  }
  if (featureKinds.length !== featureNames.length) {
    throw new MlError(
      'TIPSTER_ERR_ML_FEATURE_INVALID',
      `${featureKinds.length} feature kinds given for ${featureNames.length} features`,
    );
  }
  featureKinds.forEach((kind, f) => {
    if (!isFeatureKind(kind)) {
      throw new MlError(
        'TIPSTER_ERR_ML_FEATURE_INVALID',
        `Feature "${featureNames[f]}" has kind ${JSON.stringify(kind)}; expected one of ${FEATURE_KINDS.join(', ')}`,
      );
    }
  });
}

/** Rejects Infinity everywhere and non-integer or out-of-range codes in categorical columns. */
function validateValues(values: Float64Array, rows: number, featureNames: readonly string[], kinds: readonly FeatureKind[]): void {
  for (let f = 0; f < featureNames.length; f++) {
    const offset = f * rows;
    const categorical = kinds[f] === 'categorical';
    for (let r = 0; r < rows; r++) {
      const x = values[offset + r]!;
      if (x !== x) continue; // NaN: missing, allowed everywhere
      if (categorical) {
        if (!(Number.isInteger(x) && x >= 0 && x <= MAX_CATEGORY_CODE)) {
          throw new MlError(
            'TIPSTER_ERR_ML_FEATURE_INVALID',
            `Row ${r}: categorical feature "${featureNames[f]}" has value ${x}; codes must be integers in [0, ${MAX_CATEGORY_CODE}] (NaN = missing)`,
          );
        }
      } else if (x === Infinity || x === -Infinity) {
        throw new MlError(
          'TIPSTER_ERR_ML_FEATURE_INVALID',
          `Row ${r}: feature "${featureNames[f]}" is ${x}; use NaN for a missing value`,
        );
      }
    }
  }
}

/** Checks a feature matrix once (names unique, kinds known, shape whole, no Infinity, valid codes). */
export function createFeatureMatrix(input: FeatureMatrixInput): FeatureMatrix {
  const featureKinds = input.featureKinds ?? input.featureNames.map((): FeatureKind => 'numeric');
  validateSchema(input.featureNames, featureKinds);
  const features = input.featureNames.length;
  if (input.values.length % features !== 0) {
    throw new MlError(
      'TIPSTER_ERR_ML_ROW_COUNT_MISMATCH',
      `${input.values.length} feature values are not a whole number of rows of ${features} features`,
    );
  }
  const rows = input.values.length / features;
  validateValues(input.values, rows, input.featureNames, featureKinds);
  return Object.freeze({
    rows,
    featureNames: Object.freeze([...input.featureNames]),
    featureKinds: Object.freeze([...featureKinds]),
    values: input.values,
  });
}

function validateClassNames(classNames: readonly string[]): void {
  if (classNames.length < 2) {
    throw new MlError('TIPSTER_ERR_ML_LABEL_INVALID', `A classification dataset needs at least 2 classes, got ${classNames.length}`);
  }
  if (new Set(classNames).size !== classNames.length) {
    throw new MlError('TIPSTER_ERR_ML_LABEL_INVALID', `Class names must be unique, got ${JSON.stringify(classNames)}`);
  }
}

function toLabels(labels: ArrayLike<number>, classNames: readonly string[]): Int32Array {
  const out = new Int32Array(labels.length);
  for (let r = 0; r < labels.length; r++) {
    const label = labels[r]!;
    if (Number.isNaN(label)) throw new MlError('TIPSTER_ERR_ML_LABEL_INVALID', `Row ${r}: label is NaN`);
    if (!Number.isInteger(label)) throw new MlError('TIPSTER_ERR_ML_LABEL_INVALID', `Row ${r}: label ${label} is not an integer class index`);
    if (label < 0 || label >= classNames.length) {
      throw new MlError(
        'TIPSTER_ERR_ML_LABEL_INVALID',
        `Row ${r}: label ${label} is not a known class (expected 0…${classNames.length - 1} for ${classNames.join(', ')})`,
      );
    }
    out[r] = label;
  }
  return out;
}

function validateWeights(weights: Float64Array, rows: number): void {
  if (weights.length !== rows) {
    throw new MlError('TIPSTER_ERR_ML_ROW_COUNT_MISMATCH', `${weights.length} sample weights for ${rows} rows`);
  }
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const w = weights[r]!;
    if (!(w >= 0 && w < Infinity)) {
      throw new MlError('TIPSTER_ERR_ML_WEIGHT_INVALID', `Row ${r}: sample weight ${w} is not a finite number >= 0`);
    }
    total += w;
  }
  if (!(total > 0)) throw new MlError('TIPSTER_ERR_ML_WEIGHT_INVALID', 'All sample weights are zero');
}

/**
 * Checks and freezes a labelled dataset: rows agree across values, labels and weights; every
 * label is an integer class index; weights are finite and non-negative.
 */
export function createDataset(input: DatasetInput): Dataset {
  validateClassNames(input.classNames);
  const rows = input.labels.length;
  if (rows === 0) throw new MlError('TIPSTER_ERR_ML_ROW_COUNT_MISMATCH', 'A dataset needs at least one row');
  const features = input.featureNames.length;
  if (features > 0 && input.values.length !== rows * features) {
    throw new MlError(
      'TIPSTER_ERR_ML_ROW_COUNT_MISMATCH',
      `${rows} labels but ${input.values.length} feature values (expected ${rows} rows × ${features} features = ${rows * features})`,
    );
  }
  const matrix = createFeatureMatrix(input);
  const labels = toLabels(input.labels, input.classNames);
  const weights = input.weights ?? null;
  if (weights) validateWeights(weights, rows);
  return Object.freeze({ ...matrix, classNames: Object.freeze([...input.classNames]), labels, weights });
}

/** Rows [start, end) of a dataset as a new dataset (copies), e.g. the later rows of a time-ordered split. */
export function sliceDataset(dataset: Dataset, start: number, end: number): Dataset {
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start < end && end <= dataset.rows)) {
    throw new MlError('TIPSTER_ERR_ML_ROW_COUNT_MISMATCH', `Cannot slice rows [${start}, ${end}) of a dataset with ${dataset.rows} rows`);
  }
  const rows = end - start;
  const features = dataset.featureNames.length;
  const values = new Float64Array(rows * features);
  for (let f = 0; f < features; f++) values.set(dataset.values.subarray(f * dataset.rows + start, f * dataset.rows + end), f * rows);
  return Object.freeze({
    rows,
    featureNames: dataset.featureNames,
    featureKinds: dataset.featureKinds,
    values,
    classNames: dataset.classNames,
    labels: dataset.labels.slice(start, end),
    weights: dataset.weights ? dataset.weights.slice(start, end) : null,
  });
}

/** Throws unless `matrix` has exactly the features (names, order and kinds) a model was trained on. */
export function assertSameFeatures(
  matrix: FeatureMatrix,
  featureNames: readonly string[],
  featureKinds: readonly FeatureKind[],
): void {
  const same =
    matrix.featureNames.length === featureNames.length &&
    matrix.featureNames.every((name, f) => name === featureNames[f] && matrix.featureKinds[f] === featureKinds[f]);
  if (!same) {
    throw new MlError(
      'TIPSTER_ERR_ML_SCHEMA_MISMATCH',
      `Features [${matrix.featureNames.join(', ')}] do not match the model's [${featureNames.join(', ')}] (names, order and kinds must agree)`,
    );
  }
}
