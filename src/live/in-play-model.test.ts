import { describe, expect, it } from 'vitest';
import { InPlayModel, type InPlaySituation } from './in-play-model.js';

const rates = { homeGoals: 1.5, awayGoals: 1.1, modelVersion: 'test@1' };
const kickOff: InPlaySituation = { elapsedSeconds: 0, period: 1, homeScore: 0, awayScore: 0, homeRedCards: 0, awayRedCards: 0, homeXg: 0, awayXg: 0, halfTime: false, finished: false };

describe('in-play model', () => {
  const model = new InPlayModel();
  it('sums to one and favours the stronger side at kick-off', () => {
    const p = model.predict(rates, kickOff);
    expect(p.home + p.draw + p.away).toBeCloseTo(1, 12);
    expect(p.nextGoalHome + p.nextGoalNone + p.nextGoalAway).toBeCloseTo(1, 12);
    expect(p.home).toBeGreaterThan(p.away);
    expect(p.modelVersion).toBe('test@1+inplay-1');
  });

  it('moves sensibly with goals, red cards and time', () => {
    const at60 = { ...kickOff, elapsedSeconds: 3600, period: 2 };
    const level = model.predict(rates, at60);
    const awayGoal = model.predict(rates, { ...at60, awayScore: 1 });
    const homeRed = model.predict(rates, { ...at60, homeRedCards: 1 });
    expect(awayGoal.away).toBeGreaterThan(level.away + 0.25);
    expect(homeRed.home).toBeLessThan(level.home);
    expect(homeRed.nextGoalAway).toBeGreaterThan(level.nextGoalAway);
    const late = model.predict(rates, { ...kickOff, elapsedSeconds: 89 * 60, period: 2, homeScore: 1 });
    expect(late.home).toBeGreaterThan(0.85);
    expect(level.draw).toBeGreaterThan(model.predict(rates, kickOff).draw);
  });

  it('settles at the final whistle', () => {
    const p = model.predict(rates, { ...kickOff, elapsedSeconds: 95 * 60, period: 2, homeScore: 2, awayScore: 2, finished: true });
    expect([p.home, p.draw, p.away, p.nextGoalNone]).toEqual([0, 1, 0, 1]);
  });
});
