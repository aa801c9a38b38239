import { evaluateIsotonic, fitIsotonicRegression, type IsotonicFit } from './calibration/isotonic-regression.js';
import { fitPlattScaling, type PlattParameters, plattProbability } from './calibration/platt-scaling.js';
import { MlError } from './ml-error.js';

/** Ways to recalibrate a binary probability. */
export const CALIBRATION_METHODS = ['platt', 'isotonic'] as const;
/** One of CALIBRATION_METHODS. */
export type CalibrationMethod = (typeof CALIBRATION_METHODS)[number];

const methodSet: ReadonlySet<string> = new Set(CALIBRATION_METHODS);

/** True when `value` is one of CALIBRATION_METHODS. */
export function isCalibrationMethod(value: unknown): value is CalibrationMethod {
  return typeof value === 'string' && methodSet.has(value);
}

/** Identifies a stored calibration map. */
export const CALIBRATION_FORMAT = 'tipster.binary-calibration';
/** Layout version of a stored calibration map; bump on any incompatible change. */
export const CALIBRATION_VERSION = 1;

/** Platt scores are log-odds; probabilities are clipped here first so 0 and 1 stay finite. */
const PROBABILITY_CLIP = 1e-15;

/** A fitted calibration map as plain JSON (finite doubles, so it round-trips bit for bit). */
export type BinaryCalibrationJson =
  | { readonly format: typeof CALIBRATION_FORMAT; readonly version: 1; readonly method: 'platt'; readonly a: number; readonly b: number }
  | { readonly format: typeof CALIBRATION_FORMAT; readonly version: 1; readonly method: 'isotonic'; readonly x: number[]; readonly y: number[] };

/** Log-odds of a probability, clipped to [1e-15, 1 − 1e-15]. */
export function logit(p: number): number {
  const q = p < PROBABILITY_CLIP ? PROBABILITY_CLIP : p > 1 - PROBABILITY_CLIP ? 1 - PROBABILITY_CLIP : p;
  return Math.log(q / (1 - q));
}

function validateInputs(probabilities: Float64Array, outcomes: ArrayLike<number>, weights: Float64Array | null): Int32Array {
  const rows = probabilities.length;
  if (rows === 0) throw new MlError('TIPSTER_ERR_ML_ROW_COUNT_MISMATCH', 'Calibration needs at least one row');
  if (outcomes.length !== rows || (weights && weights.length !== rows)) {
    throw new MlError('TIPSTER_ERR_ML_ROW_COUNT_MISMATCH', `${rows} probabilities, ${outcomes.length} outcomes, ${weights?.length ?? rows} weights`);
  }
  const labels = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    const p = probabilities[r]!;
    if (!(p >= 0 && p <= 1)) throw new MlError('TIPSTER_ERR_ML_FEATURE_INVALID', `Row ${r}: probability ${p} is not in [0, 1]`);
    const y = outcomes[r]!;
    if (y !== 0 && y !== 1) throw new MlError('TIPSTER_ERR_ML_LABEL_INVALID', `Row ${r}: outcome ${y} is not 0 or 1`);
    const w = weights ? weights[r]! : 1;
    if (!(w >= 0 && w < Infinity)) throw new MlError('TIPSTER_ERR_ML_WEIGHT_INVALID', `Row ${r}: weight ${w} is not a finite number >= 0`);
    labels[r] = y;
  }
  return labels;
}

/**
 * Recalibrates a binary model's class-1 probabilities, fitted on a held-out slice the model did
 * not train on (for time-ordered data: rows after the training window). 'platt' fits a sigmoid
 * on the log-odds (2 parameters: safe on a few hundred rows); 'isotonic' fits a monotone step-
 * linear map (more flexible, wants thousands of rows). Both follow scikit-learn's
 * CalibratedClassifierCV, and neither changes the order of predictions.
 */
export class BinaryCalibration {
  readonly method: CalibrationMethod;
  readonly #platt: PlattParameters | null;
  readonly #isotonic: IsotonicFit | null;

  private constructor(method: CalibrationMethod, platt: PlattParameters | null, isotonic: IsotonicFit | null) {
    this.method = method;
    this.#platt = platt;
    this.#isotonic = isotonic;
  }

  /** Fits the map from predicted class-1 probabilities to observed 0/1 outcomes (optionally weighted). */
  static fit(
    method: CalibrationMethod,
    probabilities: Float64Array,
    outcomes: ArrayLike<number>,
    weights: Float64Array | null = null,
  ): BinaryCalibration {
    if (!isCalibrationMethod(method)) {
      throw new MlError('TIPSTER_ERR_ML_OPTION_INVALID', `Unknown calibration method ${JSON.stringify(method)}; use ${CALIBRATION_METHODS.join(' or ')}`);
    }
    const labels = validateInputs(probabilities, outcomes, weights);
    if (method === 'platt') {
      const scores = Float64Array.from(probabilities, logit);
      return new BinaryCalibration('platt', fitPlattScaling(scores, labels, weights), null);
    }
    if (weights && !weights.some((w) => w > 0)) throw new MlError('TIPSTER_ERR_ML_WEIGHT_INVALID', 'All calibration weights are zero');
    return new BinaryCalibration('isotonic', null, fitIsotonicRegression(probabilities, Float64Array.from(labels), weights));
  }

  /** Rebuilds a map stored with toJSON. */
  static fromJSON(value: unknown): BinaryCalibration {
    const json = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
    const invalid = (reason: string): never => {
      throw new MlError('TIPSTER_ERR_ML_MODEL_INVALID', `Not a valid calibration map: ${reason}`);
    };
    if (json.format !== CALIBRATION_FORMAT || json.version !== CALIBRATION_VERSION) invalid('unknown format or version');
    const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
    if (json.method === 'platt') {
      if (!finite(json.a) || !finite(json.b)) invalid('a and b must be finite numbers');
      return new BinaryCalibration('platt', Object.freeze({ a: json.a as number, b: json.b as number }), null);
    }
    if (json.method === 'isotonic') {
      const { x, y } = json;
      if (!Array.isArray(x) || !Array.isArray(y) || x.length === 0 || x.length !== y.length || !x.every(finite) || !y.every(finite)) {
        invalid('x and y must be equally long non-empty arrays of finite numbers');
      }
      const knots = Float64Array.from(x as number[]);
      for (let i = 1; i < knots.length; i++) if (!(knots[i]! > knots[i - 1]!)) invalid('x must be strictly increasing');
      return new BinaryCalibration('isotonic', null, Object.freeze({ x: knots, y: Float64Array.from(y as number[]) }));
    }
    return invalid(`unknown method ${JSON.stringify(json.method)}`);
  }

  /** Calibrated class-1 probabilities for the given class-1 probabilities. */
  calibrate(probabilities: Float64Array): Float64Array {
    const out = new Float64Array(probabilities.length);
    const platt = this.#platt;
    const isotonic = this.#isotonic;
    for (let r = 0; r < probabilities.length; r++) {
      const p = probabilities[r]!;
      out[r] = platt ? plattProbability(platt, logit(p)) : evaluateIsotonic(isotonic!, p);
    }
    return out;
  }

  /** Plain-JSON form for storing next to the model it calibrates. */
  toJSON(): BinaryCalibrationJson {
    if (this.#platt) {
      return { format: CALIBRATION_FORMAT, version: CALIBRATION_VERSION, method: 'platt', a: this.#platt.a, b: this.#platt.b };
    }
    const fit = this.#isotonic!;
    return { format: CALIBRATION_FORMAT, version: CALIBRATION_VERSION, method: 'isotonic', x: Array.from(fit.x), y: Array.from(fit.y) };
  }
}
