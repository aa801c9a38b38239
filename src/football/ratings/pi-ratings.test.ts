import { describe, expect, it } from 'vitest';
import { PiRatings, piRatingGoalDifference } from './pi-ratings.js';
import type { RatedMatch } from './rated-match.js';

const DAY_MS = 86_400_000;
const T0 = Date.UTC(2023, 7, 12, 14);

function match(homeTeam: string, awayTeam: string, homeGoals: number, awayGoals: number, day: number): RatedMatch {
  return { homeTeam, awayTeam, homeGoals, awayGoals, kickoffAtMs: T0 + day * DAY_MS };
}

// Worked by hand from Constantinou & Fenton (2013) with λ = 0.035, γ = 0.7, b = 10, c = 3
// (the toy example of the `piratings` R package: A 1–2 B, then B 3–1 A).
// Match 1, A 1–2 B, all ratings 0: ĝ_H = ĝ_A = 0, ĝ_D = 0; g_D = −1; e = |−1 − 0| = 1;
//   ψ(e) = 3·log10(2) = 0.9030899869919435; g_D < ĝ_D, so ψ_H = −ψ, ψ_A = +ψ.
//   A.home = −λψ = −0.03160814954471803, A.away = γ·(−λψ) = −0.022125704681302618,
//   B.away = +0.03160814954471803, B.home = +0.022125704681302618.
// Match 2, B 3–1 A: ĝ_H = 10^(0.0221257…/3) − 1 = 0.01712712161209673 (B at home),
//   ĝ_A = −0.01712712161209673 (A away, negative rating); ĝ_D = 0.03425424322419346; g_D = 2;
//   e = 1.9657457567758065; ψ = 3·log10(2.9657457567758065) = 1.4164017531296813; ψ_H = +ψ.
//   B.home = 0.0221257… + λψ = 0.07169976604084147, B.away = 0.0316081… + γλψ = 0.06630999249639521,
//   A.away = −0.0221257… − λψ = −0.07169976604084147, A.home = −0.0316081… − γλψ = −0.06630999249639521.
const WORKED = [match('A', 'B', 1, 2, 0), match('B', 'A', 3, 1, 7)];

describe('PiRatings', () => {
  it('reproduces the hand-worked example, pre-match expected goal differences included', () => {
    const pi = new PiRatings();
    const features = pi.update(WORKED);
    expect(features[0]).toBe(0);
    expect(features[1]).toBeCloseTo(0.03425424322419346, 14);
    expect(pi.rating('A').home).toBeCloseTo(-0.06630999249639521, 14);
    expect(pi.rating('A').away).toBeCloseTo(-0.07169976604084147, 14);
    expect(pi.rating('B').home).toBeCloseTo(0.07169976604084147, 14);
    expect(pi.rating('B').away).toBeCloseTo(0.06630999249639521, 14);
    // A at home to B next: ĝ(−0.0663…) − ĝ(0.0663…)
    expect(pi.predictFeature('A', 'B')).toBeCloseTo(-0.10442438964282719, 14);
    expect(pi.expectedGoalDifference('A', 'B')).toBe(pi.predictFeature('A', 'B'));
  });

  it('maps ratings to goal differences with b^(|r|/c) − 1, symmetric in sign', () => {
    expect(piRatingGoalDifference(3, 10, 3)).toBeCloseTo(9, 14);
    expect(piRatingGoalDifference(-3, 10, 3)).toBeCloseTo(-9, 14);
    expect(piRatingGoalDifference(0, 10, 3)).toBe(0);
  });

  it('has diminishing returns: a 6-goal win moves the rating far less than six times a 1-goal win', () => {
    const small = new PiRatings();
    small.update([match('A', 'B', 1, 0, 0)]);
    const big = new PiRatings();
    big.update([match('A', 'B', 6, 0, 0)]);
    // ψ(1) = 3·log10 2, ψ(6) = 3·log10 7: ratio log 7 / log 2 ≈ 2.81.
    expect(big.rating('A').home / small.rating('A').home).toBeCloseTo(Math.log(7) / Math.log(2), 12);
  });

  it('gives as-of snapshots of both venue ratings', () => {
    const pi = new PiRatings();
    pi.update(WORKED);
    const afterFirst = pi.ratingsAsOf(T0 + DAY_MS);
    expect(afterFirst.get('A')).toEqual({ home: -0.03160814954471803, away: -0.022125704681302618 });
    expect(pi.ratingsAsOf(T0).size).toBe(0);
  });

  it('starts a promoted team from the relegated proxy, and at 0 under the initial rule', () => {
    const season = [match('A', 'B', 3, 0, 0), match('C', 'D', 2, 0, 0), match('B', 'C', 0, 1, 7), match('D', 'A', 0, 2, 7)];
    const pi = new PiRatings({ newTeams: { relegatedCount: 2 } });
    pi.update(season);
    const bottom = [...pi.ratingsAsOf(T0 + 300 * DAY_MS).entries()]
      .sort((x, y) => x[1].home + x[1].away - (y[1].home + y[1].away))
      .slice(0, 2);
    const home = (bottom[0]![1].home + bottom[1]![1].home) / 2;
    const features = pi.update([match('E', 'A', 0, 0, 365)]);
    const { base, scale } = pi.options;
    const expected = piRatingGoalDifference(home, base, scale) - piRatingGoalDifference(pi.ratingsAsOf(T0 + 300 * DAY_MS).get('A')!.away, base, scale);
    expect(features[0]).toBeCloseTo(expected, 14);

    const plain = new PiRatings({ newTeams: { rule: 'initial' } });
    plain.update(season);
    const plainFeatures = plain.update([match('E', 'A', 0, 0, 365)]);
    expect(plainFeatures[0]).toBeCloseTo(-piRatingGoalDifference(plain.ratingsAsOf(T0 + 300 * DAY_MS).get('A')!.away, base, scale), 14);
  });

  it('rejects invalid options', () => {
    expect(() => new PiRatings({ base: 1 })).toThrow(/base/);
    expect(() => new PiRatings({ learningRate: -0.1 })).toThrow(/learningRate/);
  });
});
