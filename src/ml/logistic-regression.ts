import { type LbfgsStatus, isLbfgsStatus, minimizeLbfgs } from '../numeric/lbfgs.js';
import { assertSameFeatures, type Dataset, type FeatureKind, type FeatureMatrix, isFeatureKind } from './dataset.js';
import { MlError } from './ml-error.js';

/** Identifies a stored logistic-regression model. */
export const LOGISTIC_MODEL_FORMAT = 'tipster.logistic-regression';
/** Layout version of a stored model; bump on any incompatible change. */
export const LOGISTIC_MODEL_VERSION = 1;

/** Options of LogisticRegression.fit. */
export interface LogisticRegressionOptions {
  /**
   * λ of the objective (1/Σw) Σ w_i · loss_i + (λ/2)·‖W‖² on standardised features, intercepts
   * unpenalised (default 1e-3). scikit-learn's C is 1 / (λ · Σw), e.g. C = 1 on 1,000 rows is λ = 1e-3.
   */
  readonly l2?: number;
  /** L-BFGS iteration limit (default 1000). */
  readonly maxIterations?: number;
  /** Stop when the objective gradient's largest entry is at most this (default 1e-9). */
  readonly gradientTolerance?: number;
}

/** Options with defaults filled in; stored with the model. */
export interface ResolvedLogisticRegressionOptions {
  readonly l2: number;
  readonly maxIterations: number;
  readonly gradientTolerance: number;
}

/** How the optimiser ended, so a caller can refuse a model that did not converge. */
export interface LogisticOptimization {
  readonly converged: boolean;
  readonly status: LbfgsStatus;
  readonly iterations: number;
  /** Objective value at the solution. */
  readonly objective: number;
  /** Largest absolute gradient entry at the solution. */
  readonly gradientNorm: number;
}

/** A fitted model as plain JSON (finite doubles only, so it round-trips bit for bit). */
export interface LogisticRegressionJson {
  readonly format: typeof LOGISTIC_MODEL_FORMAT;
  readonly version: typeof LOGISTIC_MODEL_VERSION;
  readonly featureNames: string[];
  readonly featureKinds: FeatureKind[];
  readonly classNames: string[];
  readonly options: ResolvedLogisticRegressionOptions;
  readonly means: number[];
  readonly scales: number[];
  /** Standardised-space weights, one row per fitted logit (1 for binary, one per class otherwise). */
  readonly coefficients: number[][];
  readonly intercepts: number[];
  readonly optimization: LogisticOptimization;
}

interface LogisticParts {
  readonly featureNames: readonly string[];
  readonly featureKinds: readonly FeatureKind[];
  readonly classNames: readonly string[];
  readonly options: ResolvedLogisticRegressionOptions;
  readonly means: Float64Array;
  readonly scales: Float64Array;
  readonly coefficients: Float64Array;
  readonly intercepts: Float64Array;
  readonly optimization: LogisticOptimization;
}

function resolveOptions(options: LogisticRegressionOptions): ResolvedLogisticRegressionOptions {
  const l2 = options.l2 ?? 1e-3;
  const maxIterations = options.maxIterations ?? 1000;
  const gradientTolerance = options.gradientTolerance ?? 1e-9;
  if (!(l2 >= 0 && l2 < Infinity)) throw new MlError('TIPSTER_ERR_ML_OPTION_INVALID', `l2 must be a finite number >= 0, got ${l2}`);
  if (!(Number.isInteger(maxIterations) && maxIterations >= 1)) {
    throw new MlError('TIPSTER_ERR_ML_OPTION_INVALID', `maxIterations must be a positive integer, got ${maxIterations}`);
  }
  if (!(gradientTolerance > 0 && gradientTolerance < Infinity)) {
    throw new MlError('TIPSTER_ERR_ML_OPTION_INVALID', `gradientTolerance must be a finite number > 0, got ${gradientTolerance}`);
  }
  return Object.freeze({ l2, maxIterations, gradientTolerance });
}

/**
 * Per-feature mean over present values and population standard deviation after mean imputation
 * (scikit-learn's SimpleImputer(mean) then StandardScaler). A constant or all-missing column gets
 * scale 1, so it standardises to zeros instead of dividing by zero.
 */
function standardisation(train: FeatureMatrix): { means: Float64Array; scales: Float64Array } {
  const features = train.featureNames.length;
  const rows = train.rows;
  const means = new Float64Array(features);
  const scales = new Float64Array(features);
  for (let f = 0; f < features; f++) {
    const offset = f * rows;
    let sum = 0;
    let compensation = 0;
    let present = 0;
    for (let r = 0; r < rows; r++) {
      const x = train.values[offset + r]!;
      if (x !== x) continue;
      const next = sum + x;
      compensation += Math.abs(sum) >= Math.abs(x) ? sum - next + x : x - next + sum;
      sum = next;
      present++;
    }
    const mean = present === 0 ? 0 : (sum + compensation) / present;
    let squares = 0;
    let squaresCompensation = 0;
    for (let r = 0; r < rows; r++) {
      const x = train.values[offset + r]!;
      if (x !== x) continue;
      const term = (x - mean) * (x - mean);
      const next = squares + term;
      squaresCompensation += squares >= term ? squares - next + term : term - next + squares;
      squares = next;
    }
    const std = Math.sqrt((squares + squaresCompensation) / rows);
    means[f] = mean;
    scales[f] = std > 0 ? std : 1;
  }
  return { means, scales };
}

/** Column-major standardised copy of the features, missing values imputed as the mean (0 after scaling). */
function standardise(matrix: FeatureMatrix, means: Float64Array, scales: Float64Array): Float64Array {
  const out = new Float64Array(matrix.values.length);
  const rows = matrix.rows;
  for (let f = 0; f < means.length; f++) {
    const mean = means[f]!;
    const scale = scales[f]!;
    for (let i = f * rows, end = (f + 1) * rows; i < end; i++) {
      const x = matrix.values[i]!;
      out[i] = x !== x ? 0 : (x - mean) / scale;
    }
  }
  return out;
}

/**
 * The penalised mean log loss and its analytic gradient over θ = [W (logits × features, row-major), b].
 * Binary problems use one logit (sigmoid), multiclass one per class (softmax). Buffers for logits and
 * residuals are allocated once per fit; each evaluation allocates nothing.
 */
function createObjective(
  x: Float64Array,
  rows: number,
  features: number,
  logits: number,
  labels: Int32Array,
  weights: Float64Array | null,
  l2: number,
): (theta: Float64Array, gradient: Float64Array) => number {
  let weightSum = 0;
  let weightCompensation = 0;
  for (let r = 0; r < rows; r++) {
    const w = weights === null ? 1 : weights[r]!;
    const next = weightSum + w;
    weightCompensation += weightSum >= w ? weightSum - next + w : w - next + weightSum;
    weightSum = next;
  }
  const totalWeight = weightSum + weightCompensation;
  const z = new Float64Array(logits * rows);
  const residual = new Float64Array(logits * rows);
  const interceptAt = logits * features;

  return (theta, gradient) => {
    for (let k = 0; k < logits; k++) {
      const row = k * rows;
      z.fill(theta[interceptAt + k]!, row, row + rows);
      for (let f = 0; f < features; f++) {
        const coefficient = theta[k * features + f]!;
        if (coefficient === 0) continue;
        const column = f * rows;
        for (let r = 0; r < rows; r++) z[row + r]! += coefficient * x[column + r]!;
      }
    }
    let loss = 0;
    let lossCompensation = 0;
    for (let r = 0; r < rows; r++) {
      const w = weights === null ? 1 : weights[r]!;
      const label = labels[r]!;
      let term: number;
      if (logits === 1) {
        const s = z[r]!;
        const e = Math.exp(s >= 0 ? -s : s);
        const p = s >= 0 ? 1 / (1 + e) : e / (1 + e);
        // softplus(s) − y·s, with softplus written so neither tail overflows.
        term = (s > 0 ? s : 0) + Math.log1p(e) - label * s;
        residual[r] = (w * (p - label)) / totalWeight;
      } else {
        let max = z[r]!;
        for (let k = 1; k < logits; k++) if (z[k * rows + r]! > max) max = z[k * rows + r]!;
        let total = 0;
        for (let k = 0; k < logits; k++) total += Math.exp(z[k * rows + r]! - max);
        const logTotal = Math.log(total) + max;
        term = logTotal - z[label * rows + r]!;
        for (let k = 0; k < logits; k++) {
          residual[k * rows + r] = (w * (Math.exp(z[k * rows + r]! - logTotal) - (k === label ? 1 : 0))) / totalWeight;
        }
      }
      term *= w;
      const next = loss + term;
      lossCompensation += Math.abs(loss) >= Math.abs(term) ? loss - next + term : term - next + loss;
      loss = next;
    }
    let penalty = 0;
    for (let k = 0; k < logits; k++) {
      const row = k * rows;
      let interceptGradient = 0;
      for (let r = 0; r < rows; r++) interceptGradient += residual[row + r]!;
      gradient[interceptAt + k] = interceptGradient;
      for (let f = 0; f < features; f++) {
        const column = f * rows;
        let sum = 0;
        for (let r = 0; r < rows; r++) sum += residual[row + r]! * x[column + r]!;
        const coefficient = theta[k * features + f]!;
        gradient[k * features + f] = sum + l2 * coefficient;
        penalty += coefficient * coefficient;
      }
    }
    return (loss + lossCompensation) / totalWeight + 0.5 * l2 * penalty;
  };
}

/**
 * Multinomial (softmax) or binary logistic regression with an L2 penalty, fitted by L-BFGS on the
 * analytic gradient. Features are standardised internally (means and scales are stored with the
 * model) and a missing value is replaced by its training mean, i.e. contributes 0 after scaling.
 * Categorical features are not supported: one-hot encode them into numeric 0/1 columns first.
 */
export class LogisticRegression {
  readonly featureNames: readonly string[];
  readonly featureKinds: readonly FeatureKind[];
  readonly classNames: readonly string[];
  readonly options: ResolvedLogisticRegressionOptions;
  /** Training mean of each feature (also the value a missing entry is imputed with). */
  readonly means: Float64Array;
  /** Training standard deviation of each feature after imputation (1 for constant columns). */
  readonly scales: Float64Array;
  /** Standardised-space weights, logits × features row-major (1 logit for binary, else one per class). */
  readonly coefficients: Float64Array;
  readonly intercepts: Float64Array;
  readonly optimization: LogisticOptimization;

  private constructor(parts: LogisticParts) {
    this.featureNames = parts.featureNames;
    this.featureKinds = parts.featureKinds;
    this.classNames = parts.classNames;
    this.options = parts.options;
    this.means = parts.means;
    this.scales = parts.scales;
    this.coefficients = parts.coefficients;
    this.intercepts = parts.intercepts;
    this.optimization = parts.optimization;
  }

  /** Fits on a dataset with numeric features; check `optimization.converged` before trusting the model. */
  static fit(train: Dataset, options: LogisticRegressionOptions = {}): LogisticRegression {
    const resolved = resolveOptions(options);
    const categorical = train.featureKinds.indexOf('categorical');
    if (categorical >= 0) {
      throw new MlError(
        'TIPSTER_ERR_ML_FEATURE_INVALID',
        `Logistic regression needs numeric features; "${train.featureNames[categorical]}" is categorical (one-hot encode it)`,
      );
    }
    const features = train.featureNames.length;
    const logits = train.classNames.length === 2 ? 1 : train.classNames.length;
    const { means, scales } = standardisation(train);
    const x = standardise(train, means, scales);
    const objective = createObjective(x, train.rows, features, logits, train.labels, train.weights, resolved.l2);
    const result = minimizeLbfgs(objective, new Float64Array(logits * (features + 1)), {
      maxIterations: resolved.maxIterations,
      gradientTolerance: resolved.gradientTolerance,
      // A relative decrease of 1e-15 is rounding noise: stop rather than fail the line search.
      valueTolerance: 1e-15,
    });
    return new LogisticRegression({
      featureNames: train.featureNames,
      featureKinds: train.featureKinds,
      classNames: train.classNames,
      options: resolved,
      means,
      scales,
      coefficients: result.x.slice(0, logits * features),
      intercepts: result.x.slice(logits * features),
      optimization: Object.freeze({
        converged: result.converged,
        status: result.status,
        iterations: result.iterations,
        objective: result.value,
        gradientNorm: result.gradientNorm,
      }),
    });
  }

  /** Rebuilds a model stored with toJSON (after JSON.parse); predictions are bit-identical. */
  static fromJSON(json: unknown): LogisticRegression {
    return new LogisticRegression(parseLogisticJson(json));
  }

  /** Class probabilities, row-major rows × classes. */
  predictProba(matrix: FeatureMatrix): Float64Array {
    assertSameFeatures(matrix, this.featureNames, this.featureKinds);
    const rows = matrix.rows;
    const features = this.featureNames.length;
    const classes = this.classNames.length;
    const logits = this.intercepts.length;
    const z = new Float64Array(logits * rows);
    for (let k = 0; k < logits; k++) z.fill(this.intercepts[k]!, k * rows, (k + 1) * rows);
    for (let f = 0; f < features; f++) {
      const mean = this.means[f]!;
      const scale = this.scales[f]!;
      for (let r = 0; r < rows; r++) {
        const value = matrix.values[f * rows + r]!;
        if (value !== value) continue;
        const standardised = (value - mean) / scale;
        for (let k = 0; k < logits; k++) z[k * rows + r]! += this.coefficients[k * features + f]! * standardised;
      }
    }
    const out = new Float64Array(rows * classes);
    for (let r = 0; r < rows; r++) {
      if (logits === 1) {
        const s = z[r]!;
        const e = Math.exp(s >= 0 ? -s : s);
        const p = s >= 0 ? 1 / (1 + e) : e / (1 + e);
        out[2 * r] = 1 - p;
        out[2 * r + 1] = p;
        continue;
      }
      let max = z[r]!;
      for (let k = 1; k < logits; k++) if (z[k * rows + r]! > max) max = z[k * rows + r]!;
      let total = 0;
      for (let k = 0; k < logits; k++) {
        const e = Math.exp(z[k * rows + r]! - max);
        out[r * classes + k] = e;
        total += e;
      }
      for (let k = 0; k < logits; k++) out[r * classes + k]! /= total;
    }
    return out;
  }

  /** Plain-JSON form for storing as an artifact; JSON.stringify it and reload with fromJSON. */
  toJSON(): LogisticRegressionJson {
    const features = this.featureNames.length;
    return {
      format: LOGISTIC_MODEL_FORMAT,
      version: LOGISTIC_MODEL_VERSION,
      featureNames: [...this.featureNames],
      featureKinds: [...this.featureKinds],
      classNames: [...this.classNames],
      options: this.options,
      means: Array.from(this.means),
      scales: Array.from(this.scales),
      coefficients: Array.from({ length: this.intercepts.length }, (_, k) =>
        Array.from(this.coefficients.subarray(k * features, (k + 1) * features)),
      ),
      intercepts: Array.from(this.intercepts),
      optimization: this.optimization,
    };
  }
}

function invalid(reason: string): never {
  throw new MlError('TIPSTER_ERR_ML_MODEL_INVALID', `Not a valid logistic-regression model: ${reason}`);
}

function finiteArray(value: unknown, where: string, length: number): Float64Array {
  if (!Array.isArray(value) || value.length !== length || !value.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    invalid(`${where} must be ${length} finite numbers`);
  }
  return Float64Array.from(value as number[]);
}

function parseLogisticJson(value: unknown): LogisticParts {
  if (typeof value !== 'object' || value === null) invalid('not an object');
  const json = value as Record<string, unknown>;
  if (json.format !== LOGISTIC_MODEL_FORMAT) invalid(`format is ${JSON.stringify(json.format)}, expected "${LOGISTIC_MODEL_FORMAT}"`);
  if (json.version !== LOGISTIC_MODEL_VERSION) invalid(`version ${JSON.stringify(json.version)} is not supported`);
  const names = json.featureNames;
  const kinds = json.featureKinds;
  const classes = json.classNames;
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) invalid('featureNames must be strings');
  if (!Array.isArray(kinds) || kinds.length !== names.length || !kinds.every(isFeatureKind)) invalid('featureKinds must give a kind per feature');
  if (!Array.isArray(classes) || classes.length < 2 || !classes.every((n) => typeof n === 'string')) invalid('classNames needs 2+ strings');
  const features = names.length;
  const logits = classes.length === 2 ? 1 : classes.length;
  const rows = json.coefficients;
  if (!Array.isArray(rows) || rows.length !== logits) invalid(`coefficients must have ${logits} rows`);
  const coefficients = new Float64Array(logits * features);
  rows.forEach((row: unknown, k) => coefficients.set(finiteArray(row, `coefficients[${k}]`, features), k * features));
  const scales = finiteArray(json.scales, 'scales', features);
  if (!scales.every((s) => s > 0)) invalid('scales must be positive');
  let options: ResolvedLogisticRegressionOptions;
  try {
    options = resolveOptions((json.options ?? {}) as LogisticRegressionOptions);
  } catch (error) {
    invalid(`options: ${(error as Error).message}`);
  }
  const optimization = json.optimization as Record<string, unknown> | null;
  if (
    typeof optimization !== 'object' ||
    optimization === null ||
    typeof optimization.converged !== 'boolean' ||
    !isLbfgsStatus(optimization.status) ||
    typeof optimization.iterations !== 'number' ||
    typeof optimization.objective !== 'number' ||
    typeof optimization.gradientNorm !== 'number'
  ) {
    invalid('optimization is malformed');
  }
  return {
    featureNames: Object.freeze([...(names as string[])]),
    featureKinds: Object.freeze([...(kinds as FeatureKind[])]),
    classNames: Object.freeze([...(classes as string[])]),
    options,
    means: finiteArray(json.means, 'means', features),
    scales,
    coefficients,
    intercepts: finiteArray(json.intercepts, 'intercepts', logits),
    optimization: Object.freeze({
      converged: optimization.converged as boolean,
      status: optimization.status as LbfgsStatus,
      iterations: optimization.iterations as number,
      objective: optimization.objective as number,
      gradientNorm: optimization.gradientNorm as number,
    }),
  };
}
