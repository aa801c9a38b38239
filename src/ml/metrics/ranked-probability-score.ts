import { CompensatedSum } from '../../numeric/compensated-sum.js';
import { validateProbabilityRows } from './validate-probability-rows.js';

/** RPS of one row: 1/(k−1) Σ_{i<k−1} (cumulative forecast − cumulative outcome)², outcome at index `outcome`. */
function rowRps(probabilities: Float64Array, offset: number, classes: number, outcome: number): number {
  let cumulativeForecast = 0;
  let squares = 0;
  // The last cumulative pair is always (1, 1), so it contributes nothing.
  for (let j = 0; j < classes - 1; j++) {
    cumulativeForecast += probabilities[offset + j]!;
    const gap = cumulativeForecast - (j >= outcome ? 1 : 0);
    squares += gap * gap;
  }
  return squares / (classes - 1);
}

/**
 * Ranked probability score per row (Epstein 1969; Constantinou & Fenton 2012): 0 is a certain,
 * correct forecast, 1 the worst. Classes must be in their natural order; for 1X2 that is
 * home, draw, away. Writes into `out` when given (length n) so cumulative charts reuse one buffer.
 */
export function rpsPerRow(probabilities: Float64Array, outcomes: Int32Array, out?: Float64Array): Float64Array {
  const classes = validateProbabilityRows(probabilities, outcomes);
  const rows = outcomes.length;
  const scores = out ?? new Float64Array(rows);
  if (scores.length !== rows) throw new RangeError(`out has length ${scores.length}, expected ${rows}`);
  for (let row = 0; row < rows; row++) scores[row] = rowRps(probabilities, row * classes, classes, outcomes[row]!);
  return scores;
}

/** Mean ranked probability score over all rows of a flattened row-major n × k matrix (lower is better). */
export function rankedProbabilityScore(probabilities: Float64Array, outcomes: Int32Array): number {
  const classes = validateProbabilityRows(probabilities, outcomes);
  const rows = outcomes.length;
  const total = new CompensatedSum();
  for (let row = 0; row < rows; row++) total.add(rowRps(probabilities, row * classes, classes, outcomes[row]!));
  return total.value / rows;
}
