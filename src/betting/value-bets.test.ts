import { describe, expect, it } from 'vitest';
import { bestValueSelection } from './value-bets.js';

describe('bestValueSelection', () => {
  const p = { home: 0.5, draw: 0.27, away: 0.23 };
  const books = {
    bet365: { home: 2.1, draw: 3.4, away: 3.9 },
    pinnacle: { home: 2.2, draw: 3.5, away: 4.5 },
    'william-hill': { home: 2.15, draw: 3.6, away: 4.2 },
  };

  it('takes the best price per selection and keeps the largest edge', () => {
    // home 0.5 × 2.2 − 1 = 0.10; draw 0.27 × 3.6 − 1 = −0.028; away 0.23 × 4.5 − 1 = 0.035.
    const best = bestValueSelection(p, books, 0.02);
    expect(best).toEqual({ selection: 'home', probability: 0.5, price: 2.2, bookmaker: 'pinnacle', edge: expect.closeTo(0.1, 12) });
  });

  it('returns nothing when no edge reaches the minimum', () => {
    expect(bestValueSelection(p, books, 0.11)).toBeUndefined();
    expect(bestValueSelection(p, {}, 0)).toBeUndefined();
  });
});
