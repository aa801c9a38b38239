import { describe, expect, it } from 'vitest';
import { EloRatings, eloExpectedScore, goalDifferenceMultiplier } from './elo-ratings.js';
import type { RatedMatch } from './rated-match.js';

const DAY_MS = 86_400_000;
const T0 = Date.UTC(2023, 7, 12, 14);

function match(homeTeam: string, awayTeam: string, homeGoals: number, awayGoals: number, day: number): RatedMatch {
  return { homeTeam, awayTeam, homeGoals, awayGoals, kickoffAtMs: T0 + day * DAY_MS };
}

// Worked by hand with the defaults (initial 1500, K 20, home advantage 100, World Football Elo multiplier):
// 1. A 2–0 B: feature 1500 − 1500 + 100 = 100; E = 1/(1 + 10^(−100/400)) = 0.6400649998028851;
//    margin 2 → G = 1.5; Δ = 20 · 1.5 · (1 − E) = 10.798050005913446 → A 1510.7980500059134, B 1489.2019499940866.
// 2. B 1–1 A: feature 1489.2019… − 1510.7980… + 100 = 78.40389998817318; E = 0.6109551996160453;
//    draw, G = 1; Δ(B) = 20 · (0.5 − E) = −2.2191039923209055 → A 1513.0171539982343, B 1486.9828460017657.
// 3. A 0–4 B: feature 126.03430799646867; E = 0.6738195956572877; margin 4 → G = (11 + 4)/8 = 1.875;
//    Δ(A) = 20 · 1.875 · (0 − E) = −25.268234837148288 → A 1487.748919161086, B 1512.251080838914.
const WORKED = [match('A', 'B', 2, 0, 0), match('B', 'A', 1, 1, 7), match('A', 'B', 0, 4, 14)];

describe('EloRatings', () => {
  it('reproduces a hand-worked three-match example, pre-match features included', () => {
    const elo = new EloRatings();
    const features = elo.update(WORKED);
    expect(features[0]).toBe(100);
    expect(features[1]).toBeCloseTo(78.40389998817318, 9);
    expect(features[2]).toBeCloseTo(126.03430799646867, 9);
    expect(elo.rating('A')).toBeCloseTo(1487.748919161086, 9);
    expect(elo.rating('B')).toBeCloseTo(1512.251080838914, 9);
    // Zero-sum: what A loses B gains.
    expect(elo.rating('A') + elo.rating('B')).toBeCloseTo(3000, 9);
  });

  it('uses the World Football Elo goal-difference multiplier', () => {
    expect([0, 1, 2, 3, 4, 6].map(goalDifferenceMultiplier)).toEqual([1, 1, 1.5, 14 / 8, 15 / 8, 17 / 8]);
    const flat = new EloRatings({ goalDifferenceWeighting: false });
    flat.update([match('A', 'B', 5, 0, 0)]);
    expect(flat.rating('A')).toBeCloseTo(1500 + 20 * (1 - eloExpectedScore(100)), 12);
  });

  it('rates in kick-off order whatever the input order, returning features in input order', () => {
    const shuffled = [WORKED[2]!, WORKED[0]!, WORKED[1]!];
    const elo = new EloRatings();
    const features = elo.update(shuffled);
    expect(features[1]).toBe(100);
    expect(features[0]).toBeCloseTo(126.03430799646867, 9);
    expect(elo.rating('A')).toBeCloseTo(1487.748919161086, 9);
  });

  it('never lets a match see its own result in its pre-match feature', () => {
    const won = new EloRatings().update([match('A', 'B', 1, 0, 0), match('A', 'B', 5, 0, 7)]);
    const lost = new EloRatings().update([match('A', 'B', 1, 0, 0), match('A', 'B', 0, 5, 7)]);
    expect(lost[1]).toBe(won[1]);
  });

  it('gives as-of snapshots that exclude matches at or after the instant', () => {
    const elo = new EloRatings();
    elo.update(WORKED);
    expect(elo.ratingsAsOf(T0).size).toBe(0);
    const afterFirst = elo.ratingsAsOf(T0 + 7 * DAY_MS);
    expect(afterFirst.get('A')).toBeCloseTo(1510.7980500059134, 9);
    expect(afterFirst.get('B')).toBeCloseTo(1489.2019499940866, 9);
    expect(elo.ratingsAsOf(T0 + 100 * DAY_MS).get('A')).toBe(elo.rating('A'));
  });

  it('gives the pre-match expected score of a fixture from the current ratings', () => {
    const elo = new EloRatings();
    elo.update(WORKED);
    // A (1487.75) at home to B (1512.25): 100 − 24.50 = 75.50 points in A's favour.
    expect(elo.predictFeature('A', 'B')).toBeCloseTo(1487.748919161086 - 1512.251080838914 + 100, 9);
    expect(elo.expectedScore('A', 'B')).toBeCloseTo(1 / (1 + Math.pow(10, -75.497838322172 / 400)), 9);
  });

  it('continues incrementally but refuses to rewind', () => {
    const elo = new EloRatings();
    elo.update(WORKED.slice(0, 2));
    elo.update(WORKED.slice(2));
    expect(elo.rating('A')).toBeCloseTo(1487.748919161086, 9);
    expect(() => elo.update([match('A', 'B', 1, 0, 10)])).toThrow(/cannot be rewound/);
  });

  it('starts a promoted team at the mean of the lowest-rated active teams, founding teams at the initial rating', () => {
    const elo = new EloRatings({ newTeams: { relegatedCount: 2 } });
    // Season 1: four founding teams; D loses everything, C nearly everything.
    const season = [
      match('A', 'D', 3, 0, 0),
      match('B', 'C', 2, 0, 0),
      match('A', 'C', 2, 0, 7),
      match('B', 'D', 4, 0, 7),
      match('C', 'D', 1, 0, 14),
      match('A', 'B', 1, 1, 14),
    ];
    elo.update(season);
    const before = elo.ratingsAsOf(T0 + 300 * DAY_MS);
    const relegatedMean = (before.get('C')! + before.get('D')!) / 2;
    expect(relegatedMean).toBeLessThan(1500);
    // Next season E (promoted) plays A: it enters at the mean of C and D, not at 1500.
    const features = elo.update([match('E', 'A', 0, 0, 365)]);
    expect(features[0]).toBeCloseTo(relegatedMean - before.get('A')! + 100, 9);

    const plain = new EloRatings({ newTeams: { rule: 'initial' } });
    plain.update(season);
    expect(plain.update([match('E', 'A', 0, 0, 365)])[0]).toBeCloseTo(1500 - before.get('A')! + 100, 9);
  });

  it('rejects impossible matches and options', () => {
    expect(() => new EloRatings().update([match('A', 'A', 1, 0, 0)])).toThrow(/cannot play itself/);
    expect(() => new EloRatings().update([match('A', 'B', -1, 0, 0)])).toThrow(/non-negative integers/);
    expect(() => new EloRatings().update([{ ...match('A', 'B', 1, 0, 0), kickoffAtMs: Number.NaN }])).toThrow(/not a time/);
    expect(() => new EloRatings({ kFactor: 0 })).toThrow(/kFactor/);
    expect(() => new EloRatings({ newTeams: { rule: 'mean' as 'initial' } })).toThrow(/new-team rule/);
  });
});
