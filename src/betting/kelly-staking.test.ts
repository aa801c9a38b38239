import { describe, expect, it } from 'vitest';
import { betEdge, kellyFraction, RISK_KELLY_MULTIPLIERS, sizeStakes } from './kelly-staking.js';

describe('Kelly staking', () => {
  it('edge and full Kelly by hand: p = 0.5 at 2.50 → edge 0.25, Kelly 0.25 / 1.5 = 1/6', () => {
    expect(betEdge(0.5, 2.5)).toBeCloseTo(0.25, 12);
    expect(kellyFraction(0.5, 2.5)).toBeCloseTo(1 / 6, 12);
    // No edge, no bet; a price of 1 or less is not a bet at all.
    expect(kellyFraction(0.4, 2.5)).toBe(0);
    expect(kellyFraction(0.9, 1)).toBe(0);
  });

  it('documents the risk multipliers', () => {
    expect(RISK_KELLY_MULTIPLIERS).toEqual({ low: 0.1, medium: 0.25, high: 0.5 });
  });

  it('one bet at medium risk: 1/6 × 0.25 = 0.041667 of 1000.00 → 41.66 (rounded down)', () => {
    const sized = sizeStakes([{ probability: 0.5, price: 2.5 }], 100_000, 'medium');
    expect(sized.scale).toBe(1);
    const [s] = sized.stakes;
    expect(s!.riskFraction).toBeCloseTo(1 / 24, 12);
    expect(s!.cappedFraction).toBeCloseTo(1 / 24, 12);
    expect(s!.stakeMinor).toBe(4166);
    expect(sizeStakes([{ probability: 0.5, price: 2.5 }], 100_000, 'low').stakes[0]!.stakeMinor).toBe(1666);
  });

  it('caps one bet at 5% of the bankroll', () => {
    // Kelly 0.2, high risk 0.1 → capped to 0.05 → 50.00 of 1000.00.
    const sized = sizeStakes([{ probability: 0.6, price: 2 }], 100_000, 'high');
    expect(sized.stakes[0]!.riskFraction).toBeCloseTo(0.1, 12);
    expect(sized.stakes[0]!.cappedFraction).toBe(0.05);
    expect(sized.stakes[0]!.stakeMinor).toBe(5000);
  });

  it('scales simultaneous bets down proportionally so the total stays at 20%', () => {
    // Five bets capped at 5% each = 25% > 20% → × 0.8 → 4% each = 40.00, total 200.00.
    const sized = sizeStakes(Array.from({ length: 5 }, () => ({ probability: 0.6, price: 2 })), 100_000, 'high');
    expect(sized.totalCappedFraction).toBeCloseTo(0.25, 12);
    expect(sized.scale).toBeCloseTo(0.8, 12);
    expect(sized.stakes.map((s) => s.stakeMinor)).toEqual([4000, 4000, 4000, 4000, 4000]);
    expect(sized.totalStakeMinor).toBe(20_000);
  });

  it('counts what open bets already hold against the total cap', () => {
    // 18% already staked leaves 2%: one 5% bet is scaled to 2% = 20.00.
    const sized = sizeStakes([{ probability: 0.6, price: 2 }], 100_000, 'high', undefined, 0.18);
    expect(sized.stakes[0]!.stakeMinor).toBe(2000);
  });

  it('works in currencies without minor units (JPY): 1/24 of ¥100,000 is ¥4,166', () => {
    expect(sizeStakes([{ probability: 0.5, price: 2.5 }], 100_000, 'medium').stakes[0]!.stakeMinor).toBe(4166);
  });
});
