import { describe, expect, it } from 'vitest';
import { syntheticMatches } from '../../../test/support/synthetic-matches.js';
import { buildMatchFeatures, MATCH_FEATURES } from '../features/match-features.js';
import { toFixture } from '../football-match.js';
import { FeatureModelPredictor, type FeatureLearnerFactory } from './feature-model-predictor.js';

describe('FeatureModelPredictor', () => {
  it('trains on exactly the rows a from-scratch replay gives, restricted to the window, across refits', () => {
    const matches = syntheticMatches(400); // 800 matches
    const seen: { values: Float64Array; rows: number; outcomes: Int32Array }[] = [];
    const spy: FeatureLearnerFactory = (values, rows, outcomes) => {
      seen.push({ values: values.slice(), rows, outcomes: outcomes.slice() });
      return { predict: () => Float64Array.of(0.5, 0.3, 0.2) };
    };
    const predictor = new FeatureModelPredictor(spy, { learnerRefitDays: 1 });
    predictor.fit(matches.slice(0, 500), matches[500]!.kickoffAtMs);
    predictor.fit(matches.slice(100, 700), matches[700]!.kickoffAtMs); // a sliding window

    const full = buildMatchFeatures(matches.slice(0, 700), []).training;
    const last = seen.at(-1)!;
    expect(last.rows).toBe(600);
    for (const r of [0, 1, 250, 599]) {
      for (let f = 0; f < MATCH_FEATURES.length; f++) {
        expect(last.values[f * 600 + r], `${MATCH_FEATURES[f]} row ${r}`).toEqual(full.values[f * full.rows + 100 + r]);
      }
      expect(last.outcomes[r]).toBe(full.outcomes[100 + r]);
    }
    expect(predictor.predict(toFixture(matches[700]!))).toEqual({ home: 0.5, draw: 0.3, away: 0.2 });
  });

  it('abstains until the window holds enough matches, and keeps its learner between scheduled retrains', () => {
    let trainings = 0;
    const counting: FeatureLearnerFactory = () => {
      trainings++;
      return { predict: () => Float64Array.of(1 / 3, 1 / 3, 1 / 3) };
    };
    const matches = syntheticMatches(400);
    const predictor = new FeatureModelPredictor(counting, { learnerRefitDays: 28 });
    predictor.fit(matches.slice(0, 100), matches[100]!.kickoffAtMs);
    expect(predictor.predict(toFixture(matches[100]!))).toBeUndefined();
    const DAY = 86_400_000;
    predictor.fit(matches.slice(0, 400), matches[400]!.kickoffAtMs);
    predictor.fit(matches.slice(0, 414), matches[400]!.kickoffAtMs + 7 * DAY);
    expect(trainings).toBe(1);
    predictor.fit(matches.slice(0, 460), matches[400]!.kickoffAtMs + 28 * DAY);
    expect(trainings).toBe(2);
  });
});
