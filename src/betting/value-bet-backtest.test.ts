import { describe, expect, it } from 'vitest';
import { backtestValueBets, closingPriceOf, logarithmicBlend, type ValueBetMatch } from './value-bet-backtest.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2020, 8, 12, 14);

function match(id: number, kickoffAtMs: number, homeGoals: number, awayGoals: number, pre: ValueBetMatch['preMatchOdds'], closing: ValueBetMatch['closingOdds'] = {}): ValueBetMatch {
  return { matchId: id, competition: 'E0', season: '2021', kickoffAtMs, homeTeam: `H${id}`, awayTeam: `A${id}`, homeGoals, awayGoals, preMatchOdds: pre, closingOdds: closing };
}

describe('backtestValueBets', () => {
  // Match 1: edges home 0.5 × 2.2 − 1 = 0.10 (bet365), draw 0.3 × 3.4 − 1 = 0.02 (pinnacle), away < 0.
  // market-max offers 3.0 on home but is an aggregate: not a place to bet, so it must be ignored.
  // Kelly 0.10 / 1.2 = 0.083333 × 0.25 = 0.0208333 → stake floor(100000 × 0.0208333) = 2083; home wins 2-1:
  // return floor(2083 × 2.2) = 4582, bankroll 102499.
  // Match 2 (next day): away p 0.6 at 3.0: edge 0.8, Kelly 0.4 × 0.25 = 0.1 → capped at 0.05:
  // stake floor(102499 × 0.05) = 5124; home wins, lost: bankroll 97375.
  const matches = [
    match(1, T0, 2, 1, { bet365: { home: 2.2, draw: 3.2, away: 4.5 }, pinnacle: { home: 2.1, draw: 3.4, away: 4.0 }, 'market-max': { home: 3.0, draw: 3.5, away: 4.6 } }, { pinnacle: { home: 2.0, draw: 3.5, away: 4.2 } }),
    match(2, T0 + DAY, 1, 0, { bet365: { home: 1.5, draw: 4.0, away: 3.0 } }, { 'market-avg': { home: 1.6, draw: 4.0, away: 3.3 } }),
    // Priced, but no edge ≥ 0.02: considered, not bet.
    match(3, T0 + 2 * DAY, 0, 0, { bet365: { home: 2.0, draw: 3.0, away: 5.0 } }),
    // No model probability: not considered.
    match(4, T0 + 2 * DAY, 0, 0, { bet365: { home: 2.0, draw: 3.0, away: 5.0 } }),
  ];
  const probabilities = Float64Array.from([0.5, 0.3, 0.2, 0.1, 0.3, 0.6, 0.5, 0.3, 0.2, NaN, NaN, NaN]);
  const result = backtestValueBets(matches, probabilities);

  it('picks the best real price, sizes with quarter Kelly and the 5% cap, settles at the pre-match price', () => {
    expect(result.matchesConsidered).toBe(3);
    expect(result.betList.map((b) => [b.selection, b.bookmaker, b.price, b.stakeMinor, b.returnMinor, b.won])).toEqual([
      ['home', 'bet365', 2.2, 2083, 4582, true],
      ['away', 'bet365', 3.0, 5124, 0, false],
    ]);
    expect(result.betList[0]!.edge).toBeCloseTo(0.1, 12);
    expect(result.finalBankrollMinor).toBe(97375);
    expect(result.stakedMinor).toBe(7207);
    expect(result.profitMinor).toBe(-2625);
    expect(result.yield).toBeCloseTo(-2625 / 7207, 12);
    expect(result.roi).toBeCloseTo(-0.02625, 12);
    expect(result.flatYield).toBeCloseTo((1.2 - 1) / 2, 12);
    expect(result.won).toBe(1);
  });

  it('tracks the bankroll curve and the drawdown from the running peak', () => {
    expect(result.bankrollCurve.map(([, b]) => b)).toEqual([100_000, 102_499, 97_375]);
    expect(result.bankrollCurve[1]![0]).toBe(Date.UTC(2020, 8, 12));
    expect(result.maxDrawdown).toBeCloseTo(5124 / 102499, 12);
  });

  it('measures closing-line value against Pinnacle, else the market average', () => {
    expect(result.betList.map((b) => b.closingPrice)).toEqual([2.0, 3.3]);
    expect(result.closingLine!.bets).toBe(2);
    expect(result.closingLine!.meanClv).toBeCloseTo((2.2 / 2.0 - 1 + (3.0 / 3.3 - 1)) / 2, 12);
    expect(result.closingLine!.beatClosingShare).toBe(0.5);
  });

  it('scales same-day bets down to the 20% total cap', () => {
    // Five bets on one day, each capped at 5%: 25% > 20%, so each is scaled by 0.8 to 4%: 4000 of 100000.
    const day = Array.from({ length: 5 }, (_, i) => match(10 + i, T0 + i * 3_600_000, 0, 0, { bet365: { home: 3.0, draw: 3.0, away: 3.0 } }));
    const p = Float64Array.from(day.flatMap(() => [0.6, 0.2, 0.2]));
    const r = backtestValueBets(day, p);
    expect(r.betList.map((b) => b.stakeMinor)).toEqual([4000, 4000, 4000, 4000, 4000]);
    expect(r.finalBankrollMinor).toBe(80_000);
    expect(r.maxDrawdown).toBeCloseTo(0.2, 12);
    expect(r.closingLine).toBeNull();
  });

  it('honours minEdge and rejects misaligned input', () => {
    expect(backtestValueBets(matches, probabilities, { minEdge: 0.2 }).bets).toBe(1);
    expect(() => backtestValueBets(matches, new Float64Array(3))).toThrow(RangeError);
  });
});

describe('closingPriceOf', () => {
  it('falls back to the first slug alphabetically', () => {
    expect(closingPriceOf({ williamhill: { home: 2, draw: 3, away: 4 }, bet365: { home: 2.1, draw: 3, away: 4 } }, 'home')).toBe(2.1);
    expect(closingPriceOf({}, 'home')).toBeNull();
  });
});

describe('logarithmicBlend', () => {
  it('pools geometrically and renormalises', () => {
    // sqrt(0.8 × 0.2) = 0.4, sqrt(0.1 × 0.4) = 0.2, twice: 0.4 / 0.8, 0.2 / 0.8.
    const out = logarithmicBlend(Float64Array.from([0.8, 0.1, 0.1, NaN, NaN, NaN]), Float64Array.from([0.2, 0.4, 0.4, 0.3, 0.3, 0.4]), 0.5);
    expect(out[0]).toBeCloseTo(0.5, 12);
    expect(out[1]).toBeCloseTo(0.25, 12);
    expect(out[2]).toBeCloseTo(0.25, 12);
    expect(Number.isNaN(out[3]!)).toBe(true);
  });
});
