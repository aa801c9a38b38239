import { describe, expect, it } from 'vitest';
import { SYNTHETIC_START_MS, syntheticMatches } from '../../../test/support/synthetic-matches.js';
import type { OneXTwoPredictor } from '../backtest/one-x-two-predictor.js';
import { runWalkForward } from '../backtest/walk-forward.js';
import { toFixture } from '../football-match.js';
import { dixonColesPredictorSpec } from './goal-model-predictor.js';
import { logarithmicPool } from './logarithmic-pool.js';
import { marketConsensusPredictorSpec } from './market-predictor.js';
import { StackedEnsemblePredictor, stackedEnsembleSpec, type MetaLearnerFactory } from './stacked-ensemble-predictor.js';

const constant = (home: number, draw: number, away: number): OneXTwoPredictor => ({ fit() {}, predict: () => ({ home, draw, away }) });

describe('StackedEnsemblePredictor', () => {
  it('averages the bases until it has enough of its own out-of-sample forecasts, then trains only on those', () => {
    const seenRows: number[] = [];
    const meta: MetaLearnerFactory = (features, rows, columns) => {
      seenRows.push(rows);
      expect(columns).toBe(4);
      expect(features[0]).toBeCloseTo(Math.log(0.5 / 0.3), 12);
      return { predict: () => ({ home: 0.6, draw: 0.2, away: 0.2 }) };
    };
    const ensemble = new StackedEnsemblePredictor([constant(0.5, 0.3, 0.2), constant(0.3, 0.3, 0.4)], meta, { minTrainingRows: 10 });
    const matches = syntheticMatches(20); // 40 matches

    ensemble.fit([], 0);
    // Before training: the plain average of the bases.
    expect(ensemble.predict(toFixture(matches[0]!))).toEqual({ home: 0.4, draw: 0.3, away: 0.30000000000000004 });
    for (const m of matches.slice(1, 15)) ensemble.predict(toFixture(m));

    // History holds 15 forecast matches and 25 never forecast: only the 15 become rows.
    ensemble.fit(matches, matches.at(-1)!.kickoffAtMs + 1);
    expect(seenRows).toEqual([15]);
    expect(ensemble.predict(toFixture(matches[30]!))).toEqual({ home: 0.6, draw: 0.2, away: 0.2 });
  });

  it('abstains when any base cannot price the fixture', () => {
    const abstaining: OneXTwoPredictor = { fit() {}, predict: () => undefined };
    const ensemble = new StackedEnsemblePredictor([constant(0.5, 0.3, 0.2), abstaining], () => ({ predict: () => ({ home: 1, draw: 0, away: 0 }) }));
    expect(ensemble.predict(toFixture(syntheticMatches(1)[0]!))).toBeUndefined();
  });
});

describe('StackedEnsemblePredictor in a run with its bases', () => {
  it('borrows a base that runs as a peer instead of fitting its own copy, with identical forecasts', () => {
    const matches = syntheticMatches(300);
    const dc = dixonColesPredictorSpec();
    const ensemble = stackedEnsembleSpec('ensemble', '', [marketConsensusPredictorSpec, dc], logarithmicPool());
    const options = { evaluateFromMs: SYNTHETIC_START_MS + 200 * 86_400_000, burnInDays: 60 };
    const alone = runWalkForward(matches, [ensemble], options).probabilities.get('ensemble')!;
    const together = runWalkForward(matches, [dc, ensemble], options).probabilities.get('ensemble')!;
    expect(Array.from(together)).toEqual(Array.from(alone));
  });
});
