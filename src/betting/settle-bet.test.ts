import { describe, expect, it } from 'vitest';
import { betReturnMinor, settleBet } from './settle-bet.js';

describe('settleBet', () => {
  it('1X2 and both teams to score', () => {
    expect(settleBet({ market: '1x2', selection: 'home', line: 0 }, 2, 1)).toBe('won');
    expect(settleBet({ market: '1x2', selection: 'draw', line: 0 }, 2, 1)).toBe('lost');
    expect(settleBet({ market: '1x2', selection: 'draw', line: 0 }, 1, 1)).toBe('won');
    expect(settleBet({ market: 'btts', selection: 'yes', line: 0 }, 2, 1)).toBe('won');
    expect(settleBet({ market: 'btts', selection: 'no', line: 0 }, 2, 0)).toBe('won');
  });

  it('totals at half, whole and quarter lines', () => {
    expect(settleBet({ market: 'ou', selection: 'over', line: 2.5 }, 2, 1)).toBe('won');
    expect(settleBet({ market: 'ou', selection: 'under', line: 2.5 }, 2, 1)).toBe('lost');
    expect(settleBet({ market: 'ou', selection: 'over', line: 3 }, 2, 1)).toBe('push');
    // 3 goals on over 2.75: half on 2.5 wins, half on 3 pushes.
    expect(settleBet({ market: 'ou', selection: 'over', line: 2.75 }, 2, 1)).toBe('half-won');
    // 2 goals on over 2.25: half on 2 pushes, half on 2.5 loses.
    expect(settleBet({ market: 'ou', selection: 'over', line: 2.25 }, 1, 1)).toBe('half-lost');
  });

  it('Asian handicap: the line is the home handicap, the away side gets the opposite', () => {
    expect(settleBet({ market: 'ah', selection: 'home', line: -0.5 }, 1, 0)).toBe('won');
    expect(settleBet({ market: 'ah', selection: 'away', line: -0.5 }, 1, 0)).toBe('lost');
    expect(settleBet({ market: 'ah', selection: 'home', line: -1 }, 1, 0)).toBe('push');
    // Home −0.75 winning by one: half on −0.5 wins, half on −1 pushes.
    expect(settleBet({ market: 'ah', selection: 'home', line: -0.75 }, 1, 0)).toBe('half-won');
    expect(settleBet({ market: 'ah', selection: 'away', line: -0.75 }, 1, 0)).toBe('half-lost');
    // A draw with home −0.25: the away side (+0.25) pushes half on 0 and wins half on +0.5.
    expect(settleBet({ market: 'ah', selection: 'away', line: -0.25 }, 1, 1)).toBe('half-won');
    expect(settleBet({ market: 'ah', selection: 'away', line: 0.25 }, 1, 1)).toBe('half-lost');
  });
});

describe('betReturnMinor', () => {
  it('pays exact minor units, rounded down, without float drift', () => {
    // 10.00 at 1.15 is 11.50 exactly (float 1000 × 1.15 = 1149.999…).
    expect(betReturnMinor('won', 1000, 1.15)).toBe(1150);
    expect(betReturnMinor('won', 2818, 2.3)).toBe(6481); // 64.814 → 64.81
    expect(betReturnMinor('half-won', 1000, 1.9)).toBe(1450);
    expect(betReturnMinor('push', 1234, 3)).toBe(1234);
    expect(betReturnMinor('half-lost', 1001, 3)).toBe(500);
    expect(betReturnMinor('lost', 1000, 3)).toBe(0);
  });
});
