import { minimizeLbfgs } from '../../numeric/lbfgs.js';
import type { MetaLearner } from './stacked-ensemble-predictor.js';

/** A fitted pool: a meta-learner whose weights (one per base, then home and away biases) can be read. */
export interface LogarithmicPoolModel extends MetaLearner {
  weights(): number[];
}

export interface LogarithmicPoolOptions {
  /** Penalty (per row) pulling the weights towards `priorWeights` and the biases towards 0 (default 0.01). */
  readonly l2?: number;
  /** Where the weights start and are pulled to; default: all trust on the first base model. */
  readonly priorWeights?: readonly number[];
}

/**
 * A logarithmic opinion pool: P(k) ∝ exp(b_k + Σ_m w_m · log(P_m(k) / P_m(draw))), with one weight
 * per base model and two outcome biases (draw fixed at 0). Far fewer parameters than a multinomial
 * regression on the same inputs, and regularised towards the prior (by default: trust the market),
 * so it moves away from the market only as far as the evidence carries it.
 * Input rows are the stacked features [log(pH/pD), log(pA/pD)] per base model.
 */
export function logarithmicPool(
  options: LogarithmicPoolOptions = {},
): (features: Float64Array, rows: number, columns: number, outcomes: Int32Array) => LogarithmicPoolModel {
  const l2 = options.l2 ?? 0.01;
  return (features, rows, columns, outcomes) => {
    const models = columns / 2;
    const prior = Float64Array.from({ length: models }, (_, m) => options.priorWeights?.[m] ?? (m === 0 ? 1 : 0));
    const parameters = models + 2; // weights, then home and away biases
    const objective = (x: Float64Array, gradient: Float64Array): number => {
      gradient.fill(0);
      let loss = 0;
      for (let r = 0; r < rows; r++) {
        let sHome = x[models]!;
        let sAway = x[models + 1]!;
        const base = r * columns;
        for (let m = 0; m < models; m++) {
          sHome += x[m]! * features[base + 2 * m]!;
          sAway += x[m]! * features[base + 2 * m + 1]!;
        }
        const top = Math.max(sHome, 0, sAway);
        const eHome = Math.exp(sHome - top);
        const eDraw = Math.exp(-top);
        const eAway = Math.exp(sAway - top);
        const z = eHome + eDraw + eAway;
        const pHome = eHome / z;
        const pAway = eAway / z;
        const y = outcomes[r]!;
        loss -= (y === 0 ? sHome : y === 2 ? sAway : 0) - top - Math.log(z);
        const gHome = pHome - (y === 0 ? 1 : 0);
        const gAway = pAway - (y === 2 ? 1 : 0);
        for (let m = 0; m < models; m++) gradient[m]! += gHome * features[base + 2 * m]! + gAway * features[base + 2 * m + 1]!;
        gradient[models]! += gHome;
        gradient[models + 1]! += gAway;
      }
      loss /= rows;
      for (let p = 0; p < parameters; p++) gradient[p]! /= rows;
      for (let m = 0; m < models; m++) {
        const d = x[m]! - prior[m]!;
        loss += 0.5 * l2 * d * d;
        gradient[m]! += l2 * d;
      }
      for (let b = models; b < parameters; b++) {
        loss += 0.5 * l2 * x[b]! * x[b]!;
        gradient[b]! += l2 * x[b]!;
      }
      return loss;
    };
    const x0 = new Float64Array(parameters);
    x0.set(prior);
    const fitted = minimizeLbfgs(objective, x0, { gradientTolerance: 1e-8 }).x;
    return {
      predict: (row) => {
        let sHome = fitted[models]!;
        let sAway = fitted[models + 1]!;
        for (let m = 0; m < models; m++) {
          sHome += fitted[m]! * row[2 * m]!;
          sAway += fitted[m]! * row[2 * m + 1]!;
        }
        const top = Math.max(sHome, 0, sAway);
        const eHome = Math.exp(sHome - top);
        const eDraw = Math.exp(-top);
        const eAway = Math.exp(sAway - top);
        const z = eHome + eDraw + eAway;
        return { home: eHome / z, draw: eDraw / z, away: eAway / z };
      },
      weights: () => Array.from(fitted),
    };
  };
}
