import { CompensatedSum } from '../../numeric/compensated-sum.js';
import { validateProbabilityRows } from './validate-probability-rows.js';

/** Multi-class Brier score of one row: Σ_j (p_j − [j = outcome])², between 0 and 2. */
function rowBrier(probabilities: Float64Array, offset: number, classes: number, outcome: number): number {
  let squares = 0;
  for (let j = 0; j < classes; j++) {
    const gap = probabilities[offset + j]! - (j === outcome ? 1 : 0);
    squares += gap * gap;
  }
  return squares;
}

/** Multi-class Brier score per row (Brier 1950: summed over classes, so 0…2). Writes into `out` when given. */
export function brierScorePerRow(probabilities: Float64Array, outcomes: Int32Array, out?: Float64Array): Float64Array {
  const classes = validateProbabilityRows(probabilities, outcomes);
  const rows = outcomes.length;
  const scores = out ?? new Float64Array(rows);
  if (scores.length !== rows) throw new RangeError(`out has length ${scores.length}, expected ${rows}`);
  for (let row = 0; row < rows; row++) scores[row] = rowBrier(probabilities, row * classes, classes, outcomes[row]!);
  return scores;
}

/** Mean multi-class Brier score (summed over classes, averaged over rows) of a flattened n × k matrix. */
export function brierScore(probabilities: Float64Array, outcomes: Int32Array): number {
  const classes = validateProbabilityRows(probabilities, outcomes);
  const rows = outcomes.length;
  const total = new CompensatedSum();
  for (let row = 0; row < rows; row++) total.add(rowBrier(probabilities, row * classes, classes, outcomes[row]!));
  return total.value / rows;
}
