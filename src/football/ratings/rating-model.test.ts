import { describe, expect, it } from 'vitest';
import { rankedProbabilityScore } from '../../ml/metrics/ranked-probability-score.js';
import { outcomeOf } from '../football-match.js';
import { EloModel } from './elo-model.js';
import { EloRatings } from './elo-ratings.js';
import { OrderedLogit } from './ordered-logit.js';
import { PiRatingModel } from './pi-rating-model.js';
import { PiRatings } from './pi-ratings.js';
import type { RatedMatch } from './rated-match.js';
import { mulberry32 as seededRandom } from '../../numeric/mulberry32.js';

const DAY_MS = 86_400_000;
const T0 = Date.UTC(2020, 7, 1, 14);
const SEASON_DAYS = 365;

function poisson(rate: number, random: () => number): number {
  const limit = Math.exp(-rate);
  let k = 0;
  let product = random();
  while (product > limit) {
    k++;
    product *= random();
  }
  return k;
}

// Ten teams, T0 strongest … T9 weakest; three double round-robin seasons, one round a week.
const TEAMS = Array.from({ length: 10 }, (_, i) => `T${i}`);
const STRENGTH = TEAMS.map((_, i) => 0.6 - (1.2 * i) / 9);

function syntheticLeague(seasons: number, seed: number): RatedMatch[] {
  const random = seededRandom(seed);
  const matches: RatedMatch[] = [];
  for (let season = 0; season < seasons; season++) {
    let round = 0;
    for (let h = 0; h < TEAMS.length; h++) {
      for (let a = 0; a < TEAMS.length; a++) {
        if (h === a) continue;
        const kickoffAtMs = T0 + (season * SEASON_DAYS + 7 * Math.floor(round / 5)) * DAY_MS;
        round++;
        matches.push({
          homeTeam: TEAMS[h]!,
          awayTeam: TEAMS[a]!,
          homeGoals: poisson(Math.exp(0.3 + STRENGTH[h]! - STRENGTH[a]!), random),
          awayGoals: poisson(Math.exp(STRENGTH[a]! - STRENGTH[h]!), random),
          kickoffAtMs,
        });
      }
    }
  }
  return matches;
}

const league = syntheticLeague(3, 42);
const lastSeasonStartMs = T0 + 2 * SEASON_DAYS * DAY_MS;
const history = league.filter((m) => m.kickoffAtMs < lastSeasonStartMs);
const lastSeason = league.filter((m) => m.kickoffAtMs >= lastSeasonStartMs);

const systems = [
  { name: 'EloModel', create: () => new EloModel(), createRatings: () => new EloRatings() },
  { name: 'PiRatingModel', create: () => new PiRatingModel(), createRatings: () => new PiRatings() },
] as const;

describe.each(systems)('$name', ({ create, createRatings }) => {
  it('fits the ordered logit on each match’s pre-match feature, using only matches before asOfMs', () => {
    const model = create().fit(league, { asOfMs: lastSeasonStartMs });
    const features = createRatings().update(history);
    const outcomes = Int32Array.from(history, (m) => outcomeOf(m.homeGoals, m.awayGoals));
    const manual = OrderedLogit.fit(features, outcomes);
    expect(model.orderedLogit.cutPoints).toEqual(manual.cutPoints);
    expect(model.orderedLogit.coefficients).toEqual(manual.coefficients);
    expect(model.orderedLogit.rows).toBe(history.length);
    expect(model.orderedLogit.converged).toBe(true);
    expect(model.ratings.lastKickoffAtMs).toBeLessThan(lastSeasonStartMs);
  });

  it('prices the strongest side at home far above the weakest, with probabilities summing to 1', () => {
    const model = create().fit(history);
    const strongAtHome = model.predict('T0', 'T9');
    const weakAtHome = model.predict('T9', 'T0');
    // Strengths differ by 1.2 in log scoring rate: the simulated T0 wins 97 % of home games against T9.
    expect(strongAtHome.home).toBeGreaterThan(0.9);
    expect(weakAtHome.away).toBeGreaterThan(0.8);
    expect(strongAtHome.home + strongAtHome.draw + strongAtHome.away).toBeCloseTo(1, 14);
  });

  it('forecasts an unseen season better (RPS) than the base rates of the training seasons', () => {
    const model = create().fit(history, { warmUpDays: 120 });
    const n = lastSeason.length;
    const outcomes = Int32Array.from(lastSeason, (m) => outcomeOf(m.homeGoals, m.awayGoals));
    const forecasts = new Float64Array(n * 3);
    const shares = [0, 0, 0];
    for (const m of history) shares[outcomeOf(m.homeGoals, m.awayGoals)]! += 1 / history.length;
    const baseRates = new Float64Array(n * 3);
    lastSeason.forEach((m, i) => {
      const p = model.predict(m.homeTeam, m.awayTeam);
      forecasts.set([p.home, p.draw, p.away], i * 3);
      baseRates.set(shares, i * 3);
    });
    expect(rankedProbabilityScore(forecasts, outcomes)).toBeLessThan(rankedProbabilityScore(baseRates, outcomes) - 0.05);
  });

  it('leaves the warm-up matches out of the probability fit', () => {
    const model = create().fit(history, { warmUpDays: 120 });
    const firstMs = Math.min(...history.map((m) => m.kickoffAtMs));
    expect(model.orderedLogit.rows).toBe(history.filter((m) => m.kickoffAtMs >= firstMs + 120 * DAY_MS).length);
    expect(() => create().fit(history, { warmUpDays: 5000 })).toThrow(/warm-up/);
    expect(() => create().fit(history, { asOfMs: T0 })).toThrow(/No matches/);
    expect(() => create().predict('T0', 'T1')).toThrow(/fit\(\)/);
  });
});
