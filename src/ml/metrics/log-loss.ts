import { CompensatedSum } from '../../numeric/compensated-sum.js';
import { validateProbabilityRows } from './validate-probability-rows.js';

/**
 * Smallest probability log loss takes the log of. A forecast that gave the observed outcome
 * probability 0 would otherwise score +Infinity and swamp every mean; with the clip it costs
 * −ln(1e-15) ≈ 34.54 nats (scikit-learn's historical default).
 */
export const LOG_LOSS_CLIP = 1e-15;

/** Negative natural log of the probability given to the observed outcome, per row (clipped at LOG_LOSS_CLIP). */
export function logLossPerRow(probabilities: Float64Array, outcomes: Int32Array, out?: Float64Array): Float64Array {
  const classes = validateProbabilityRows(probabilities, outcomes);
  const rows = outcomes.length;
  const losses = out ?? new Float64Array(rows);
  if (losses.length !== rows) throw new RangeError(`out has length ${losses.length}, expected ${rows}`);
  for (let row = 0; row < rows; row++) {
    const p = probabilities[row * classes + outcomes[row]!]!;
    losses[row] = -Math.log(p > LOG_LOSS_CLIP ? p : LOG_LOSS_CLIP);
  }
  return losses;
}

/** Mean log loss (cross-entropy, natural log) of a flattened row-major n × k matrix; lower is better. */
export function logLoss(probabilities: Float64Array, outcomes: Int32Array): number {
  const classes = validateProbabilityRows(probabilities, outcomes);
  const rows = outcomes.length;
  const total = new CompensatedSum();
  for (let row = 0; row < rows; row++) {
    const p = probabilities[row * classes + outcomes[row]!]!;
    total.add(-Math.log(p > LOG_LOSS_CLIP ? p : LOG_LOSS_CLIP));
  }
  return total.value / rows;
}
