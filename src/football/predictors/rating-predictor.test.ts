import { describe, expect, it } from 'vitest';
import { syntheticMatches } from '../../../test/support/synthetic-matches.js';
import { toFixture } from '../football-match.js';
import { eloPredictorSpec, piRatingPredictorSpec } from './rating-predictor.js';

describe('rating predictors in a walk-forward', () => {
  it('fit on a short history (under a year) without the warm-up swallowing every match', () => {
    const history = syntheticMatches(150); // 300 matches over 150 days
    for (const spec of [eloPredictorSpec, piRatingPredictorSpec]) {
      const predictor = spec.create();
      predictor.fit(history, history.at(-1)!.kickoffAtMs + 1);
      const p = predictor.predict(toFixture(history[0]!))!;
      expect(p.home + p.draw + p.away).toBeCloseTo(1, 12);
    }
  });

  it('abstain with too little history', () => {
    const predictor = eloPredictorSpec.create();
    predictor.fit(syntheticMatches(20), Date.UTC(2021, 0, 1));
    expect(predictor.predict(toFixture(syntheticMatches(1)[0]!))).toBeUndefined();
  });
});
