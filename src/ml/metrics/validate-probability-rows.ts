/** How far a row of probabilities may stray from summing to one (float32 model output still passes). */
export const ROW_SUM_TOLERANCE = 1e-6;

/**
 * Checks a flattened row-major n × k probability matrix against n outcome indices and returns k.
 * Every metric calls this first, so a bad row is reported by index instead of being skipped or
 * silently turning a mean into NaN.
 */
export function validateProbabilityRows(probabilities: Float64Array, outcomes: Int32Array): number {
  const rows = outcomes.length;
  if (rows === 0) throw new RangeError('No predictions: a metric over zero rows is undefined');
  if (probabilities.length % rows !== 0) {
    throw new RangeError(
      `probabilities has ${probabilities.length} values, not a whole number of rows for ${rows} outcomes`,
    );
  }
  const classes = probabilities.length / rows;
  if (classes < 2) throw new RangeError(`Need at least 2 classes per row, got ${classes}`);
  for (let row = 0; row < rows; row++) {
    const outcome = outcomes[row]!;
    if (outcome < 0 || outcome >= classes) {
      throw new RangeError(`Row ${row}: outcome ${outcome} is not a class index in [0, ${classes})`);
    }
    let rowSum = 0;
    const offset = row * classes;
    for (let j = 0; j < classes; j++) {
      const p = probabilities[offset + j]!;
      // The negated comparison also rejects NaN.
      if (!(p >= 0 && p <= 1)) throw new RangeError(`Row ${row}: probability ${p} of class ${j} is not in [0, 1]`);
      rowSum += p;
    }
    if (Math.abs(rowSum - 1) > ROW_SUM_TOLERANCE) {
      throw new RangeError(`Row ${row}: probabilities sum to ${rowSum}, not 1`);
    }
  }
  return classes;
}
