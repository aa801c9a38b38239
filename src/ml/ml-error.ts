import { TipsterError } from '../core/errors.js';

/** Errors of the generic learners: the TIPSTER_ERR_ML_* part of the core catalogue. */
export const ML_ERROR_CODES = [
  /** Labels, weights or feature values do not describe the same number of rows. */
  'TIPSTER_ERR_ML_ROW_COUNT_MISMATCH',
  /** A label is NaN, fractional or not a class index. */
  'TIPSTER_ERR_ML_LABEL_INVALID',
  /** A feature name, kind or value is unusable (duplicate name, Infinity, bad category code). */
  'TIPSTER_ERR_ML_FEATURE_INVALID',
  /** A sample weight is negative or not finite, or all weights are zero. */
  'TIPSTER_ERR_ML_WEIGHT_INVALID',
  /** Data given to a fitted model does not have the features (or classes) it was trained on. */
  'TIPSTER_ERR_ML_SCHEMA_MISMATCH',
  /** A learner option is out of range. */
  'TIPSTER_ERR_ML_OPTION_INVALID',
  /** A stored model (toJSON output) is malformed or from an unknown format version. */
  'TIPSTER_ERR_ML_MODEL_INVALID',
] as const;
/** One of ML_ERROR_CODES. */
export type MlErrorCode = (typeof ML_ERROR_CODES)[number];

const codeSet: ReadonlySet<string> = new Set(ML_ERROR_CODES);

/** True when `value` is one of ML_ERROR_CODES. */
export function isMlErrorCode(value: unknown): value is MlErrorCode {
  return typeof value === 'string' && codeSet.has(value);
}

/** An input a learner cannot use, with a catalogued code, a message naming the culprit and a hint. */
export class MlError extends TipsterError {
  declare readonly code: MlErrorCode;

  constructor(code: MlErrorCode, message: string) {
    super(code, { detail: message });
    this.name = 'MlError';
  }
}

/** True when `error` is an MlError, optionally with the given code. */
export function isMlError(error: unknown, code?: MlErrorCode): error is MlError {
  return error instanceof MlError && (code === undefined || error.code === code);
}
