import { describe, expect, it } from 'vitest';
import { decidePromotion, type PromotionPolicy } from './promotion-policy.js';

const rps: PromotionPolicy = { metric: 'rps', higherIsBetter: false, minImprovement: 0.0005, qualityFloor: 0.21 };

describe('decidePromotion', () => {
  it('promotes a first version that passes the quality floor', () => {
    expect(decidePromotion(rps, { rps: 0.2002 }, null)).toMatchObject({ promote: true, production: null });
    expect(decidePromotion(rps, { rps: 0.215 }, null)).toMatchObject({ promote: false, reason: 'rps 0.215 fails the quality floor 0.21' });
  });

  it('promotes only a real improvement over production on the same window', () => {
    expect(decidePromotion(rps, { rps: 0.1990 }, { rps: 0.2002 }).promote).toBe(true);
    const tooSmall = decidePromotion(rps, { rps: 0.1999 }, { rps: 0.2002 });
    expect(tooSmall).toMatchObject({ promote: false, reason: 'rps 0.1999 does not beat production 0.2002 by more than 0.0005' });
    expect(decidePromotion(rps, { rps: 0.2010 }, { rps: 0.2002 }).promote).toBe(false);
  });

  it('works for metrics where higher is better, and refuses a candidate without the metric', () => {
    const accuracy: PromotionPolicy = { metric: 'accuracy', higherIsBetter: true };
    expect(decidePromotion(accuracy, { accuracy: 0.56 }, { accuracy: 0.55 }).promote).toBe(true);
    expect(decidePromotion(accuracy, { accuracy: 0.55 }, { accuracy: 0.55 }).promote).toBe(false);
    expect(decidePromotion(accuracy, { rps: 0.2 }, null)).toMatchObject({ promote: false, reason: 'the candidate has no accuracy score' });
  });
});
