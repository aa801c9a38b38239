import { describe, expect, it } from 'vitest';
import { assertSameFeatures, createDataset, createFeatureMatrix, sliceDataset } from './dataset.js';
import { isMlError, ML_ERROR_CODES } from './ml-error.js';

const base = {
  featureNames: ['elo_diff', 'league'],
  featureKinds: ['numeric', 'categorical'] as const,
  classNames: ['home', 'draw', 'away'],
  // Column-major: elo_diff for rows 0..2, then league for rows 0..2.
  values: Float64Array.of(12.5, NaN, -3, 0, 4, NaN),
  labels: [0, 2, 1],
};

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (isMlError(error)) return error.code;
    throw error;
  }
  return undefined;
}

describe('createDataset', () => {
  it('keeps column-major values, converts labels to Int32Array and defaults weights to null', () => {
    const dataset = createDataset(base);
    expect(dataset.rows).toBe(3);
    expect(dataset.labels).toEqual(Int32Array.of(0, 2, 1));
    expect(dataset.weights).toBeNull();
    expect(dataset.values[1 * 3 + 1]).toBe(4); // league of row 1
    expect(Object.isFrozen(dataset)).toBe(true);
  });

  it('rejects a row count mismatch between labels and feature values', () => {
    expect(codeOf(() => createDataset({ ...base, labels: [0, 1] }))).toBe('TIPSTER_ERR_ML_ROW_COUNT_MISMATCH');
    expect(() => createDataset({ ...base, labels: [0, 1] })).toThrow(/2 labels but 6 feature values/);
    expect(codeOf(() => createDataset({ ...base, weights: Float64Array.of(1, 1) }))).toBe('TIPSTER_ERR_ML_ROW_COUNT_MISMATCH');
  });

  it('rejects NaN, fractional and unknown-class labels, naming the row', () => {
    expect(() => createDataset({ ...base, labels: [0, NaN, 1] })).toThrow(/Row 1: label is NaN/);
    expect(() => createDataset({ ...base, labels: [0, 1.5, 1] })).toThrow(/Row 1: label 1.5 is not an integer/);
    expect(() => createDataset({ ...base, labels: [0, 3, 1] })).toThrow(/Row 1: label 3 is not a known class/);
    expect(codeOf(() => createDataset({ ...base, labels: [-1, 0, 1] }))).toBe('TIPSTER_ERR_ML_LABEL_INVALID');
  });

  it('rejects Infinity, bad category codes, duplicate names and unknown kinds', () => {
    expect(() => createDataset({ ...base, values: Float64Array.of(Infinity, 0, 0, 0, 0, 0) })).toThrow(/use NaN/);
    expect(() => createDataset({ ...base, values: Float64Array.of(0, 0, 0, 1.5, 0, 0) })).toThrow(/categorical feature "league"/);
    expect(() => createDataset({ ...base, values: Float64Array.of(0, 0, 0, -1, 0, 0) })).toThrow(/codes must be integers/);
    expect(() => createDataset({ ...base, featureNames: ['a', 'a'] })).toThrow(/appears twice/);
    expect(codeOf(() => createDataset({ ...base, featureKinds: ['numeric', 'ordinal' as 'numeric'] }))).toBe(
      'TIPSTER_ERR_ML_FEATURE_INVALID',
    );
  });

  it('rejects negative, non-finite and all-zero weights', () => {
    expect(() => createDataset({ ...base, weights: Float64Array.of(1, -1, 1) })).toThrow(/Row 1: sample weight -1/);
    expect(() => createDataset({ ...base, weights: Float64Array.of(1, NaN, 1) })).toThrow(/Row 1/);
    expect(codeOf(() => createDataset({ ...base, weights: new Float64Array(3) }))).toBe('TIPSTER_ERR_ML_WEIGHT_INVALID');
  });

  it('needs at least two distinct class names', () => {
    expect(() => createDataset({ ...base, classNames: ['make'], labels: [0, 0, 0] })).toThrow(/at least 2 classes/);
    expect(() => createDataset({ ...base, classNames: ['a', 'a', 'b'] })).toThrow(/unique/);
  });

  it('every error code is a TIPSTER_ERR_ML_ code', () => {
    for (const code of ML_ERROR_CODES) expect(code).toMatch(/^TIPSTER_ERR_ML_[A-Z_]+$/);
  });
});

describe('sliceDataset', () => {
  it('copies a row range of every column, label and weight (a time-ordered validation split)', () => {
    const dataset = createDataset({ ...base, weights: Float64Array.of(1, 2, 3) });
    const later = sliceDataset(dataset, 1, 3);
    expect(later.rows).toBe(2);
    expect(Array.from(later.values)).toEqual([NaN, -3, 4, NaN]);
    expect(later.labels).toEqual(Int32Array.of(2, 1));
    expect(later.weights).toEqual(Float64Array.of(2, 3));
    expect(() => sliceDataset(dataset, 2, 4)).toThrow(/Cannot slice rows \[2, 4\)/);
  });
});

describe('assertSameFeatures', () => {
  it('rejects data whose feature order differs from the model', () => {
    const matrix = createFeatureMatrix({ featureNames: ['league', 'elo_diff'], featureKinds: ['categorical', 'numeric'], values: new Float64Array(2) });
    expect(codeOf(() => assertSameFeatures(matrix, base.featureNames, base.featureKinds))).toBe('TIPSTER_ERR_ML_SCHEMA_MISMATCH');
    expect(() => assertSameFeatures(matrix, ['league', 'elo_diff'], ['categorical', 'numeric'])).not.toThrow();
  });
});
