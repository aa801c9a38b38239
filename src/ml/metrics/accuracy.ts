import { validateProbabilityRows } from './validate-probability-rows.js';

/** Index of the largest probability in a row; a tie goes to the lowest index, as numpy's argmax does. */
export function argmaxRow(probabilities: Float64Array, offset: number, classes: number): number {
  let best = 0;
  let bestP = probabilities[offset]!;
  for (let j = 1; j < classes; j++) {
    const p = probabilities[offset + j]!;
    if (p > bestP) {
      bestP = p;
      best = j;
    }
  }
  return best;
}

/**
 * Share of rows whose most probable class is the observed one. Ties go to the lowest class index
 * (for 1X2 in home, draw, away order: home before draw before away), so the result is deterministic.
 */
export function accuracy(probabilities: Float64Array, outcomes: Int32Array): number {
  const classes = validateProbabilityRows(probabilities, outcomes);
  const rows = outcomes.length;
  let hits = 0;
  for (let row = 0; row < rows; row++) {
    if (argmaxRow(probabilities, row * classes, classes) === outcomes[row]) hits++;
  }
  return hits / rows;
}
