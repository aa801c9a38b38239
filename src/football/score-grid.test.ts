import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ScoreGrid,
  fairDecimalOdds,
  settlementExpectedValue,
  type SettlementProbabilities,
} from './score-grid.js';

interface ReferenceSettlement {
  win: number;
  halfWin: number;
  push: number;
  halfLose: number;
  lose: number;
}

interface ReferenceCase {
  homeRate: number;
  awayRate: number;
  rho: number;
  maxGoals: number;
  truncatedMass: number;
  matrix: number[];
  oneXTwo: { home: number; draw: number; away: number };
  expectedGoals: { home: number; away: number };
  bothTeamsToScore: { yes: number; no: number };
  homeGoals: number[];
  awayGoals: number[];
  exactScores: { homeGoals: number; awayGoals: number; probability: number }[];
  totalGoals: { line: number; over: ReferenceSettlement; under: ReferenceSettlement }[];
  asianHandicap: {
    homeLine: number;
    home: ReferenceSettlement;
    away: ReferenceSettlement;
    fairOdds: { home: number | null; away: number | null };
  }[];
}

// scipy.stats.poisson values from bench/reference/score_grid_reference.py (run once, output kept).
const reference = JSON.parse(
  fs.readFileSync(new URL('./fixtures/score-grid-reference.json', import.meta.url), 'utf8'),
) as { cases: ReferenceCase[] };

// Probabilities are sums of at most a few hundred doubles: agreement to 1e-12 absolute leaves room only for rounding.
const TOL = 1e-12;

function close(actual: number, expected: number, tolerance = TOL): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance);
}

function expectSettlement(actual: SettlementProbabilities, expected: ReferenceSettlement): void {
  close(actual.win, expected.win);
  close(actual.halfWin, expected.halfWin);
  close(actual.push, expected.push);
  close(actual.halfLose, expected.halfLose);
  close(actual.lose, expected.lose);
}

function label(c: ReferenceCase): string {
  return `λ=${c.homeRate} μ=${c.awayRate} ρ=${c.rho} maxGoals=${c.maxGoals}`;
}

describe('ScoreGrid against scipy references', () => {
  for (const c of reference.cases) {
    describe(label(c), () => {
      const grid = ScoreGrid.fromRates(c.homeRate, c.awayRate, { rho: c.rho, maxGoals: c.maxGoals });

      it('matches every cell of the Dixon-Coles matrix and the truncated mass', () => {
        expect(grid.size).toBe(c.maxGoals + 1);
        expect(grid.maxGoals).toBe(c.maxGoals);
        const matrix = grid.toMatrix();
        for (let k = 0; k < c.matrix.length; k++) close(matrix[k]!, c.matrix[k]!, 1e-14);
        close(grid.probability(1, 0), c.matrix[grid.size]!, 1e-14);
        close(grid.truncatedMass, c.truncatedMass, 1e-14);
      });

      it('matches 1X2, expected goals, BTTS and the marginals', () => {
        const result = grid.oneXTwo();
        close(result.home, c.oneXTwo.home);
        close(result.draw, c.oneXTwo.draw);
        close(result.away, c.oneXTwo.away);
        const xg = grid.expectedGoals();
        close(xg.home, c.expectedGoals.home);
        close(xg.away, c.expectedGoals.away);
        const btts = grid.bothTeamsToScore();
        close(btts.yes, c.bothTeamsToScore.yes);
        close(btts.no, c.bothTeamsToScore.no);
        const home = grid.homeGoalsDistribution();
        const away = grid.awayGoalsDistribution();
        for (let k = 0; k < grid.size; k++) {
          close(home[k]!, c.homeGoals[k]!);
          close(away[k]!, c.awayGoals[k]!);
        }
      });

      it('lists the most likely exact scores in the same order', () => {
        const top = grid.exactScores(c.exactScores.length);
        expect(top.map((s) => [s.homeGoals, s.awayGoals])).toEqual(
          c.exactScores.map((s) => [s.homeGoals, s.awayGoals]),
        );
        for (let k = 0; k < top.length; k++) close(top[k]!.probability, c.exactScores[k]!.probability);
      });

      it('settles totals at half, whole and quarter lines like the split-stake rule', () => {
        for (const market of c.totalGoals) {
          const actual = grid.totalGoals(market.line);
          expectSettlement(actual.over, market.over);
          expectSettlement(actual.under, market.under);
        }
      });

      it('settles Asian handicaps and prices them fairly', () => {
        for (const market of c.asianHandicap) {
          const actual = grid.asianHandicap(market.homeLine);
          expectSettlement(actual.home, market.home);
          expectSettlement(actual.away, market.away);
          const fair = grid.fairAsianHandicapOdds(market.homeLine);
          for (const side of ['home', 'away'] as const) {
            const expected = market.fairOdds[side];
            if (expected === null) expect(fair[side]).toBe(Number.POSITIVE_INFINITY);
            else expect(Math.abs(fair[side] - expected) / expected).toBeLessThan(1e-10);
          }
        }
      });
    });
  }
});

describe('ScoreGrid market identities', () => {
  const grids = [
    ScoreGrid.fromRates(1.45, 1.1),
    ScoreGrid.fromRates(1.7, 0.9, { rho: -0.13 }),
    ScoreGrid.fromRates(0.6, 0.4, { rho: 0.1, maxGoals: 8 }),
  ];

  it('AH 0 pushes exactly on a draw and AH −0.5 wins exactly on a home win', () => {
    for (const grid of grids) {
      const result = grid.oneXTwo();
      const level = grid.asianHandicap(0);
      expect(level.home.push).toBe(result.draw);
      close(level.home.win, result.home);
      close(level.away.win, result.away);
      const giveHalf = grid.asianHandicap(-0.5);
      close(giveHalf.home.win, result.home);
      close(giveHalf.home.lose, result.draw + result.away);
      expect(giveHalf.home.push).toBe(0);
    }
  });

  it('half lines have no push and the two sides sum to 1', () => {
    for (const grid of grids) {
      for (const line of [0.5, 1.5, 2.5, 3.5]) {
        const market = grid.totalGoals(line);
        expect(market.over.push).toBe(0);
        close(market.over.win + market.under.win, 1);
        expect(market.under.win).toBe(market.over.lose);
      }
    }
  });

  it('a quarter line is the average of its two neighbouring lines', () => {
    for (const grid of grids) {
      for (const [quarter, below, above] of [
        [2.25, 2, 2.5],
        [2.75, 2.5, 3],
      ] as const) {
        const q = grid.totalGoals(quarter).over;
        const a = grid.totalGoals(below).over;
        const b = grid.totalGoals(above).over;
        // Each half stake settles on its own line; a half result is that half winning or losing.
        close(q.win + q.halfWin / 2, (a.win + b.win) / 2);
        close(q.lose + q.halfLose / 2, (a.lose + b.lose) / 2);
        close(q.halfWin / 2 + q.halfLose / 2 + q.push, (a.push + b.push) / 2);
      }
      const quarterAh = grid.asianHandicap(-0.75).home;
      const h05 = grid.asianHandicap(-0.5).home;
      const h1 = grid.asianHandicap(-1).home;
      close(quarterAh.win + quarterAh.halfWin / 2, (h05.win + h1.win) / 2);
      close(quarterAh.lose + quarterAh.halfLose / 2, (h05.lose + h1.lose) / 2);
    }
  });

  it('every settlement sums to 1', () => {
    for (const grid of grids) {
      for (let line = -3; line <= 3; line += 0.25) {
        const side = grid.asianHandicap(line).home;
        close(side.win + side.halfWin + side.push + side.halfLose + side.lose, 1, 1e-14);
      }
    }
  });

  it('BTTS equals the product of the marginals when ρ = 0 (independent goals)', () => {
    const grid = ScoreGrid.fromRates(1.45, 1.1, { maxGoals: 15 });
    const home = grid.homeGoalsDistribution();
    const away = grid.awayGoalsDistribution();
    close(grid.bothTeamsToScore().yes, (1 - home[0]!) * (1 - away[0]!));
    // A ρ > 0 correction moves mass onto 0-0 and 1-1 and off 1-0 and 0-1, which changes BTTS.
    const corrected = ScoreGrid.fromRates(1.45, 1.1, { rho: 0.1, maxGoals: 15 });
    const h = corrected.homeGoalsDistribution();
    const a = corrected.awayGoalsDistribution();
    expect(Math.abs(corrected.bothTeamsToScore().yes - (1 - h[0]!) * (1 - a[0]!))).toBeGreaterThan(1e-3);
  });

  it('expected goals approach the Poisson rates as the grid grows, and the truncated mass shrinks', () => {
    const small = ScoreGrid.fromRates(3.4, 2.8, { maxGoals: 5 });
    const large = ScoreGrid.fromRates(3.4, 2.8, { maxGoals: 30 });
    expect(small.truncatedMass).toBeGreaterThan(0.1);
    expect(large.truncatedMass).toBeLessThan(1e-9);
    close(large.expectedGoals().home, 3.4, 1e-9);
    close(large.expectedGoals().away, 2.8, 1e-9);
    // Dixon-Coles only moves mass between low scores, so the expected totals barely move off the rates.
    const dc = ScoreGrid.fromRates(1.7, 0.9, { rho: -0.13, maxGoals: 30 });
    close(dc.expectedGoals().home + dc.expectedGoals().away, 2.6, 1e-9);
  });

  it('the goal difference and total goal distributions agree with the 1X2 and totals', () => {
    const grid = grids[1]!;
    const { minDifference, probabilities } = grid.goalDifferenceDistribution();
    expect(minDifference).toBe(-10);
    let homeWin = 0;
    for (let k = 0; k < probabilities.length; k++) if (minDifference + k > 0) homeWin += probabilities[k]!;
    close(homeWin, grid.oneXTwo().home);
    const totals = grid.totalGoalsDistribution();
    expect(totals.length).toBe(21);
    close(totals[0]! + totals[1]! + totals[2]!, grid.totalGoals(2.5).under.win);
  });

  it('fromMatrix renormalises and gives the same markets as fromRates', () => {
    const grid = grids[1]!;
    const raw = grid.toMatrix();
    for (let k = 0; k < raw.length; k++) raw[k]! *= 3;
    const copy = ScoreGrid.fromMatrix(raw, grid.size);
    close(copy.truncatedMass, -2, 1e-12);
    close(copy.oneXTwo().home, grid.oneXTwo().home);
    close(copy.asianHandicap(-0.25).home.halfLose, grid.asianHandicap(-0.25).home.halfLose);
    // The caller's array is copied, not adopted.
    raw[0] = 100;
    close(copy.probability(0, 0), grid.probability(0, 0));
  });
});

describe('fair odds and expected value', () => {
  const grid = ScoreGrid.fromRates(1.7, 0.9, { rho: -0.13 });

  it('backing at the fair odds has zero expected value for every kind of line', () => {
    for (const line of [-1.75, -1, -0.75, -0.5, -0.25, 0, 0.25, 1]) {
      const fair = grid.fairAsianHandicapOdds(line);
      const ev = grid.asianHandicapExpectedValue(line, fair);
      close(ev.home, 0, 1e-12);
      close(ev.away, 0, 1e-12);
    }
    for (const line of [1.5, 2, 2.25, 2.75, 3]) {
      const fair = grid.fairTotalGoalsOdds(line);
      const ev = grid.totalGoalsExpectedValue(line, fair);
      close(ev.over, 0, 1e-12);
      close(ev.under, 0, 1e-12);
    }
  });

  it('AH 0 fair odds equal draw-no-bet odds', () => {
    const { home, away } = grid.oneXTwo();
    close(grid.fairAsianHandicapOdds(0).home, (home + away) / home, 1e-12);
  });

  it('counts half wins as half the profit and half losses as half the stake', () => {
    const side: SettlementProbabilities = { win: 0.3, halfWin: 0.2, push: 0.1, halfLose: 0.25, lose: 0.15 };
    // 0.3·1 + 0.2·0.5 − 0.25·0.5 − 0.15 at odds 2.0
    close(settlementExpectedValue(side, 2), 0.125, 1e-15);
    close(fairDecimalOdds(side), 1 + 0.275 / 0.4, 1e-15);
  });
});

describe('ScoreGrid input validation', () => {
  it('rejects negative or non-finite rates', () => {
    expect(() => ScoreGrid.fromRates(-0.1, 1)).toThrow(RangeError);
    expect(() => ScoreGrid.fromRates(1, Number.NaN)).toThrow(/awayRate must be a finite number >= 0/);
    expect(() => ScoreGrid.fromRates(Number.POSITIVE_INFINITY, 1)).toThrow(RangeError);
  });

  it('rejects bad maxGoals and a rho that makes a probability negative', () => {
    expect(() => ScoreGrid.fromRates(1, 1, { maxGoals: 0 })).toThrow(/maxGoals/);
    expect(() => ScoreGrid.fromRates(1, 1, { maxGoals: 2.5 })).toThrow(/maxGoals/);
    expect(() => ScoreGrid.fromRates(2, 2, { rho: 0.3 })).toThrow(/negative Dixon-Coles/);
    expect(() => ScoreGrid.fromRates(1, 1, { rho: Number.NaN })).toThrow(/rho/);
  });

  it('rejects lines that are not a multiple of 0.25', () => {
    const grid = ScoreGrid.fromRates(1.4, 1.1);
    expect(() => grid.totalGoals(2.3)).toThrow(/multiple of 0.25/);
    expect(() => grid.asianHandicap(-0.1)).toThrow(RangeError);
    expect(() => grid.totalGoals(Number.NaN)).toThrow(RangeError);
    expect(() => grid.totalGoals(-0.5)).toThrow(/>= 0/);
  });

  it('rejects malformed matrices, bad goals and bad odds', () => {
    expect(() => ScoreGrid.fromMatrix(new Float64Array(8), 3)).toThrow(/needs 9 entries/);
    expect(() => ScoreGrid.fromMatrix(new Float64Array(9), 3)).toThrow(/no probability mass/);
    expect(() => ScoreGrid.fromMatrix(Float64Array.of(1, -1, 0, 0), 2)).toThrow(/entry \(0, 1\)/);
    const grid = ScoreGrid.fromRates(1.4, 1.1);
    expect(() => grid.probability(-1, 0)).toThrow(RangeError);
    expect(grid.probability(11, 0)).toBe(0);
    expect(() => grid.asianHandicapExpectedValue(0, { home: 1, away: 2 })).toThrow(/decimal odds > 1/);
    expect(() => grid.exactScores(0)).toThrow(RangeError);
  });
});
