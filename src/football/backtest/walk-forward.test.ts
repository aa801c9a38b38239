import { describe, expect, it } from 'vitest';
import { SYNTHETIC_START_MS, syntheticMatches } from '../../../test/support/synthetic-matches.js';
import type { Fixture } from '../football-match.js';
import type { OneXTwoPredictor, PredictorSpec } from './one-x-two-predictor.js';
import { runWalkForward } from './walk-forward.js';

const DAY = 86_400_000;
const START = SYNTHETIC_START_MS;

/** Records every fit and prediction so the test can check what the model was allowed to see. */
function spy() {
  const fits: { asOfMs: number; lastTrainedMs: number; size: number }[] = [];
  const predicted: { fixture: Fixture; lastFitAsOf: number; lastTrainedMs: number }[] = [];
  const spec: PredictorSpec = {
    name: 'spy',
    label: 'records what it sees',
    create: (): OneXTwoPredictor => {
      let last = { asOfMs: Number.NaN, lastTrainedMs: Number.NEGATIVE_INFINITY };
      return {
        fit(history, asOfMs) {
          last = { asOfMs, lastTrainedMs: history.at(-1)?.kickoffAtMs ?? Number.NEGATIVE_INFINITY };
          fits.push({ ...last, size: history.length });
        },
        predict(fixture) {
          predicted.push({ fixture, lastFitAsOf: last.asOfMs, lastTrainedMs: last.lastTrainedMs });
          return { home: 0.5, draw: 0.3, away: 0.2 };
        },
      };
    },
  };
  return { spec, fits, predicted };
}

describe('runWalkForward', () => {
  it('never lets a model train on a match that was not over before the fixture it predicts', () => {
    const matches = syntheticMatches(120);
    const { spec, fits, predicted } = spy();
    const result = runWalkForward(matches, [spec], { evaluateFromMs: START + 60 * DAY, trainingWindowDays: 30 });

    expect(result.matches).toHaveLength(120); // days 60..119, two a day
    expect(predicted).toHaveLength(120);
    for (const p of predicted) {
      expect(p.lastTrainedMs).toBeLessThan(p.fixture.kickoffAtMs);
      expect(p.lastFitAsOf).toBeLessThanOrEqual(p.fixture.kickoffAtMs);
      // Predictors see a fixture only: no result, no closing prices.
      expect(p.fixture).not.toHaveProperty('homeGoals');
      expect(p.fixture).not.toHaveProperty('closingOdds');
    }
    // Weekly refits over 60 days, each on a 30-day window.
    expect(fits).toHaveLength(9);
    for (const f of fits) expect(f.lastTrainedMs).toBeLessThan(f.asOfMs);
    expect(Math.max(...fits.map((f) => f.size))).toBeLessThanOrEqual(60);
  });

  it('keeps each model probabilities aligned with the outcomes, NaN where a model abstains', () => {
    const matches = syntheticMatches(30);
    const abstain: PredictorSpec = {
      name: 'picky',
      label: 'prices date-only matches only',
      create: () => ({ fit() {}, predict: (f) => (f.kickoffTimeKnown ? undefined : { home: 0.2, draw: 0.3, away: 0.5 }) }),
    };
    const result = runWalkForward(matches, [abstain], { evaluateFromMs: START + 10 * DAY, refitEveryDays: 3 });
    const p = result.probabilities.get('picky')!;
    expect(p).toHaveLength(result.matches.length * 3);
    result.matches.forEach((m, i) => {
      if (m.kickoffTimeKnown) expect(Number.isNaN(p[i * 3]!)).toBe(true);
      else expect([p[i * 3], p[i * 3 + 1], p[i * 3 + 2]]).toEqual([0.2, 0.3, 0.5]);
      expect(result.outcomes[i]).toBe(m.homeGoals > m.awayGoals ? 0 : m.homeGoals === m.awayGoals ? 1 : 2);
    });
    expect(result.refits).toBe(7);
  });

  it('predicts burn-in fixtures without scoring them', () => {
    const matches = syntheticMatches(100);
    const { spec, predicted } = spy();
    const result = runWalkForward(matches, [spec], { evaluateFromMs: START + 60 * DAY, burnInDays: 14, trainingWindowDays: 30 });
    expect(predicted).toHaveLength(2 * (40 + 14));
    expect(result.matches).toHaveLength(80);
    expect(result.matches[0]!.kickoffAtMs).toBeGreaterThanOrEqual(START + 60 * DAY);
    expect(result.probabilities.get('spy')).toHaveLength(80 * 3);
    expect(result.probabilities.get('spy')!.every((p) => !Number.isNaN(p))).toBe(true);
  });
});
