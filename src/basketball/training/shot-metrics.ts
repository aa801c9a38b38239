import { accuracy } from '../../ml/metrics/accuracy.js';
import { rocAuc } from '../../ml/metrics/auc.js';
import { brierScore } from '../../ml/metrics/brier-score.js';
import { tableCalibrationError } from '../../ml/metrics/expected-calibration-error.js';
import { logLoss } from '../../ml/metrics/log-loss.js';
import { reliabilityTable, type ReliabilityTable } from '../../ml/metrics/reliability-table.js';

/** How well make probabilities forecast outcomes (snake_case keys, as tracked runs store them). */
export interface ShotScores {
  /** Mean negative log-likelihood (nats); the task's primary metric, lower is better. */
  readonly log_loss: number;
  /** Probability that a made shot was given more than a missed one; 0.5 is a coin. */
  readonly auc: number;
  /** Share of shots on the side of 0.5 they ended on. */
  readonly accuracy: number;
  /** Mean squared error of the make probability (binary Brier, 0–1). */
  readonly brier: number;
  /** Expected calibration error over 10 equal-width bins. */
  readonly ece: number;
  readonly shots: number;
  readonly make_rate: number;
  readonly mean_probability: number;
}

/** Scores make probabilities against 0/1 outcomes; also returns the reliability table behind the ECE. */
export function scoreShots(probabilities: Float64Array, made: Int32Array): { scores: ShotScores; reliability: ReliabilityTable } {
  const rows = made.length;
  const matrix = new Float64Array(2 * rows);
  let makes = 0;
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const p = probabilities[r]!;
    matrix[2 * r] = 1 - p;
    matrix[2 * r + 1] = p;
    makes += made[r]!;
    total += p;
  }
  const reliability = reliabilityTable(matrix, made, { target: 1, bins: 10, strategy: 'uniform' });
  return {
    scores: {
      log_loss: logLoss(matrix, made),
      auc: rocAuc(probabilities, made),
      accuracy: accuracy(matrix, made),
      // The multi-class Brier sums over both classes: twice the binary one.
      brier: brierScore(matrix, made) / 2,
      ece: tableCalibrationError(reliability),
      shots: rows,
      make_rate: makes / rows,
      mean_probability: total / rows,
    },
    reliability,
  };
}
