import { CompensatedSum } from '../../numeric/compensated-sum.js';
import {
  type BinningOptions,
  type ReliabilityTable,
  type ReliabilityTarget,
  reliabilityTable,
  reliabilityTables,
} from './reliability-table.js';

/** ECE of one table: Σ_bins (count / rows) · |mean predicted − observed frequency|. */
export function tableCalibrationError(table: ReliabilityTable): number {
  const total = new CompensatedSum();
  for (const bin of table.bins) {
    if (bin.count === 0 || bin.meanPredicted === null || bin.observedFrequency === null) continue;
    total.add(bin.count * Math.abs(bin.meanPredicted - bin.observedFrequency));
  }
  return total.value / table.rows;
}

/**
 * Expected calibration error (Naeini et al. 2015; Guo et al. 2017): the count-weighted gap between
 * predicted and observed frequency over reliability bins, 0 for a perfectly calibrated forecaster.
 * `target` is a class index (one-vs-rest), `top-label` (default, the usual multi-class ECE), or
 * `classwise` (the mean of every class's one-vs-rest ECE, Kull et al. 2019).
 */
export function expectedCalibrationError(
  probabilities: Float64Array,
  outcomes: Int32Array,
  options: BinningOptions & { readonly target?: ReliabilityTarget | 'classwise' } = {},
): number {
  const target = options.target ?? 'top-label';
  if (target !== 'classwise') {
    return tableCalibrationError(reliabilityTable(probabilities, outcomes, { ...options, target }));
  }
  const tables = reliabilityTables(probabilities, outcomes, options);
  const total = new CompensatedSum();
  for (const table of tables) total.add(tableCalibrationError(table));
  return total.value / tables.length;
}
