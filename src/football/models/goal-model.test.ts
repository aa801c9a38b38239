import { describe, expect, it } from 'vitest';
import { ScoreGrid } from '../score-grid.js';
import { DixonColes, feasibleRho } from './dixon-coles.js';
import type { GoalMatch } from './goal-model.js';
import { PoissonGoalModel } from './poisson-goal-model.js';
import { mulberry32 as seededRandom } from '../../numeric/mulberry32.js';

const DAY_MS = 86_400_000;
const START_MS = Date.UTC(2020, 7, 1);

interface League {
  readonly teams: readonly string[];
  readonly attack: readonly number[];
  readonly defence: readonly number[];
  readonly intercept: number;
  readonly home: number;
  readonly rho: number;
}

// Eight teams with clearly separated strengths; attack and defence each sum to zero.
const LEAGUE: League = {
  teams: ['Ajax', 'Benfica', 'Celtic', 'Dynamo', 'Espanyol', 'Feyenoord', 'Galatasaray', 'Hajduk'],
  attack: [0.45, 0.3, 0.15, 0.05, -0.05, -0.15, -0.3, -0.45],
  defence: [-0.4, -0.25, -0.15, 0, 0.05, 0.15, 0.25, 0.35],
  intercept: 0.1,
  home: 0.25,
  rho: -0.1,
};

/** Double round-robins, one round every 3 days, scores drawn from the Dixon-Coles grid of the true rates. */
function simulate(league: League, rounds: number, seed: number): GoalMatch[] {
  const random = seededRandom(seed);
  const matches: GoalMatch[] = [];
  let day = 0;
  for (let round = 0; round < rounds; round++) {
    for (let h = 0; h < league.teams.length; h++) {
      for (let a = 0; a < league.teams.length; a++) {
        if (h === a) continue;
        const lambda = Math.exp(league.intercept + league.home + league.attack[h]! + league.defence[a]!);
        const mu = Math.exp(league.intercept + league.attack[a]! + league.defence[h]!);
        const grid = ScoreGrid.fromRates(lambda, mu, { rho: league.rho });
        let u = random();
        let homeGoals = 0;
        let awayGoals = 0;
        search: for (let i = 0; i < grid.size; i++) {
          for (let j = 0; j < grid.size; j++) {
            u -= grid.probability(i, j);
            homeGoals = i;
            awayGoals = j;
            if (u <= 0) break search;
          }
        }
        matches.push({ homeTeam: league.teams[h]!, awayTeam: league.teams[a]!, homeGoals, awayGoals, kickoffAtMs: START_MS + day * DAY_MS });
        day += 3 / 7; // about a week per team per round
      }
    }
  }
  return matches;
}

const league = simulate(LEAGUE, 40, 7); // 2,240 matches

describe('fitting recovers a simulated league', () => {
  it('Dixon-Coles recovers attack, defence, home advantage and rho within sampling error', () => {
    const model = new DixonColes({ xi: 0 }).fit(league);
    const parameters = model.parameters();
    expect(model.fitSummary().converged).toBe(true);
    parameters.teams.forEach((rating, i) => {
      // 560 matches per team: standard errors are about 0.04.
      expect(Math.abs(rating.attack - LEAGUE.attack[i]!), rating.team).toBeLessThan(0.12);
      expect(Math.abs(rating.defence - LEAGUE.defence[i]!), rating.team).toBeLessThan(0.12);
    });
    expect(Math.abs(parameters.homeAdvantage - LEAGUE.home)).toBeLessThan(0.06);
    expect(Math.abs(parameters.intercept - LEAGUE.intercept)).toBeLessThan(0.06);
    expect(Math.abs(parameters.extra.rho! - LEAGUE.rho)).toBeLessThan(0.06);
    // Identifiability: each block is centred.
    expect(Math.abs(parameters.teams.reduce((s, t) => s + t.attack, 0))).toBeLessThan(1e-12);
    expect(Math.abs(parameters.teams.reduce((s, t) => s + t.defence, 0))).toBeLessThan(1e-12);
  });

  it('ranks the strongest side the favourite at home and away, and draws rise with a negative rho', () => {
    const dixonColes = new DixonColes({ xi: 0 }).fit(league);
    const poisson = new PoissonGoalModel({ xi: 0 }).fit(league);
    const home = dixonColes.predict('Ajax', 'Hajduk').oneXTwo();
    const away = dixonColes.predict('Hajduk', 'Ajax').oneXTwo();
    expect(home.home).toBeGreaterThan(0.7);
    expect(away.away).toBeGreaterThan(away.home);
    expect(home.home + home.draw + home.away).toBeCloseTo(1, 12);
    // Between evenly matched sides the 0-0/1-1 boost of rho < 0 shows up as more draws than Poisson gives.
    const even = dixonColes.predict('Dynamo', 'Espanyol').oneXTwo().draw;
    expect(even).toBeGreaterThan(poisson.predict('Dynamo', 'Espanyol').oneXTwo().draw + 0.01);
    expect(poisson.parameters().extra).toEqual({});
  });

  it('a neutral venue removes exactly the home advantage from the home rate', () => {
    const model = new DixonColes({ xi: 0 }).fit(league);
    const atHome = model.rates('Celtic', 'Benfica');
    const neutral = model.rates('Celtic', 'Benfica', { neutral: true });
    expect(atHome.home / neutral.home).toBeCloseTo(Math.exp(model.parameters().homeAdvantage), 12);
    expect(neutral.away).toBeCloseTo(atHome.away, 12);
    const grid = model.predict('Celtic', 'Benfica', { neutral: true });
    expect(grid.expectedGoals().home).toBeCloseTo(neutral.home, 3);
  });

  it('predicts on a grid of maxGoals + 1', () => {
    const model = new DixonColes({ xi: 0, maxGoals: 6 }).fit(league.slice(0, 400));
    expect(model.predict('Ajax', 'Benfica').size).toBe(7);
  });
});

describe('time decay', () => {
  it('weights a match d days before asOf by exp(−xi·d) and follows recent form', () => {
    // Dynamo loses its first 20 rounds badly, then wins its last 20: with decay it rates higher.
    const swapped = league.map((m, index) => {
      if (m.homeTeam !== 'Dynamo' && m.awayTeam !== 'Dynamo') return m;
      const early = index < league.length / 2;
      const dynamoHome = m.homeTeam === 'Dynamo';
      const [dynamo, other] = early ? [0, 3] : [3, 0];
      return { ...m, homeGoals: dynamoHome ? dynamo : other, awayGoals: dynamoHome ? other : dynamo };
    });
    const asOfMs = swapped.at(-1)!.kickoffAtMs + DAY_MS;
    const flat = new DixonColes({ xi: 0 }).fit(swapped, { asOfMs });
    const decayed = new DixonColes({ xi: 0.01 }).fit(swapped, { asOfMs });
    const strength = (model: DixonColes): number => {
      const rating = model.parameters().teams.find((t) => t.team === 'Dynamo')!;
      return rating.attack - rating.defence;
    };
    expect(strength(decayed)).toBeGreaterThan(strength(flat) + 0.5);

    let expectedWeight = 0;
    for (const m of swapped) {
      if (m.homeTeam === 'Ajax' || m.awayTeam === 'Ajax') expectedWeight += Math.exp((-0.01 * (asOfMs - m.kickoffAtMs)) / DAY_MS);
    }
    const ajax = decayed.parameters().teams.find((t) => t.team === 'Ajax')!;
    expect(ajax.weightedMatches).toBeCloseTo(expectedWeight, 9);
    expect(flat.parameters().teams.find((t) => t.team === 'Ajax')!.weightedMatches).toBe(560);
  });

  it('defaults asOf to the day after the last match', () => {
    const model = new PoissonGoalModel().fit(league.slice(0, 200));
    expect(model.fitSummary().asOfMs).toBe(league[199]!.kickoffAtMs + DAY_MS);
  });
});

describe('promoted and thinly observed teams', () => {
  const asOfMs = league.at(-1)!.kickoffAtMs + 10 * DAY_MS;
  // A newcomer with a single match, which it won 6-0 against the best side.
  const fluke: GoalMatch = { homeTeam: 'Newcomer', awayTeam: 'Ajax', homeGoals: 6, awayGoals: 0, kickoffAtMs: asOfMs - DAY_MS };

  it('an unseen team gets the mean attack and defence of the 3 weakest teams', () => {
    const model = new DixonColes({ xi: 0.0019 }).fit(league, { asOfMs });
    const parameters = model.parameters();
    expect(model.knowsTeam('Promoted FC')).toBe(false);
    const byStrength = [...parameters.teams].sort((a, b) => a.attack - a.defence - (b.attack - b.defence));
    const weakest = byStrength.slice(0, 3);
    expect([...parameters.promotedLevel.teams].sort()).toEqual(weakest.map((t) => t.team).sort());
    const meanAttack = weakest.reduce((s, t) => s + t.attack, 0) / 3;
    const meanDefence = weakest.reduce((s, t) => s + t.defence, 0) / 3;
    expect(parameters.promotedLevel.attack).toBeCloseTo(meanAttack, 12);
    expect(parameters.promotedLevel.defence).toBeCloseTo(meanDefence, 12);
    const rates = model.rates('Promoted FC', 'Ajax');
    const ajax = parameters.teams.find((t) => t.team === 'Ajax')!;
    expect(rates.home).toBeCloseTo(Math.exp(parameters.intercept + parameters.homeAdvantage + meanAttack + ajax.defence), 12);
    expect(rates.away).toBeCloseTo(Math.exp(parameters.intercept + ajax.attack + meanDefence), 12);
    // Roughly what a promoted side is: an underdog at home against the best team, but not hopeless.
    const oneXTwo = model.predict('Promoted FC', 'Ajax').oneXTwo();
    expect(oneXTwo.away).toBeGreaterThan(oneXTwo.home);
    expect(oneXTwo.home).toBeGreaterThan(0.05);
  });

  it('a team with one (6-0) match is shrunk towards the promoted level instead of topping the table', () => {
    const matches = [...league, fluke];
    const shrunk = new DixonColes({ xi: 0.0019 }).fit(matches, { asOfMs });
    const unshrunk = new DixonColes({ xi: 0.0019, shrinkPrecision: 0 }).fit(matches, { asOfMs });
    const strength = (model: DixonColes, team: string): number => {
      const rating = model.parameters().teams.find((t) => t.team === team)!;
      return rating.attack - rating.defence;
    };
    const best = strength(shrunk, 'Ajax');
    expect(strength(unshrunk, 'Newcomer')).toBeGreaterThan(best);
    expect(strength(shrunk, 'Newcomer')).toBeLessThan(best);
    expect(strength(shrunk, 'Newcomer')).toBeGreaterThan(shrunk.parameters().promotedLevel.attack - shrunk.parameters().promotedLevel.defence);
    expect(shrunk.fitSummary().penalty).toBeGreaterThan(0);
    expect(shrunk.fitSummary().passes).toBeGreaterThanOrEqual(2);
    // The weakest three are chosen among established teams only.
    expect(shrunk.parameters().promotedLevel.teams).not.toContain('Newcomer');
  });

  it('without thinly observed teams there is no penalty and one optimiser run', () => {
    const model = new DixonColes({ xi: 0 }).fit(league);
    expect(model.fitSummary()).toMatchObject({ penalty: 0, passes: 1 });
  });
});

describe('warm start', () => {
  it('reaches the cold optimum from the previous fit, with new and departed teams', () => {
    const before = new DixonColes().fit(league.slice(0, 1500));
    const next = league.filter((m) => m.homeTeam !== 'Hajduk' && m.awayTeam !== 'Hajduk');
    const cold = new DixonColes().fit(next);
    const warm = new DixonColes().fit(next, { warmStart: before });
    expect(warm.fitSummary().objective).toBeCloseTo(cold.fitSummary().objective, 7);
    expect(warm.predict('Ajax', 'Galatasaray').oneXTwo().home).toBeCloseTo(cold.predict('Ajax', 'Galatasaray').oneXTwo().home, 6);
  });

  it('refits the same instance from its own previous state', () => {
    const model = new DixonColes().fit(league.slice(0, 1000));
    const reference = new DixonColes().fit(league);
    model.fit(league, { warmStart: model });
    expect(model.fitSummary().objective).toBeCloseTo(reference.fitSummary().objective, 7);
  });

  it('refuses a model of another kind or an unfitted one', () => {
    const poisson = new PoissonGoalModel().fit(league.slice(0, 200));
    expect(() => new DixonColes().fit(league, { warmStart: poisson })).toThrow(TypeError);
    expect(() => new DixonColes().fit(league, { warmStart: new DixonColes() })).toThrow(/not been fitted/);
  });
});

describe('input validation names the bad match', () => {
  const good: GoalMatch = { homeTeam: 'Ajax', awayTeam: 'Benfica', homeGoals: 1, awayGoals: 0, kickoffAtMs: START_MS };
  const withBad = (bad: Partial<Record<keyof GoalMatch, unknown>>): GoalMatch[] => [good, good, { ...good, ...bad } as GoalMatch];
  const model = new DixonColes();

  it.each([
    ['negative goals', { homeGoals: -1 }, RangeError, /matches\[2\] \(Ajax v Benfica, 2020-08-01T00:00:00\.000Z\): homeGoals must be a non-negative integer, got -1/],
    ['fractional goals', { awayGoals: 1.5 }, RangeError, /awayGoals must be a non-negative integer, got 1.5/],
    ['goals as a string', { homeGoals: '2' }, TypeError, /homeGoals must be a number, got string/],
    ['a missing team', { awayTeam: '' }, TypeError, /matches\[2\].*awayTeam must be a non-empty string/],
    ['a team playing itself', { awayTeam: 'Ajax' }, RangeError, /home and away team are the same/],
    ['no kick-off time', { kickoffAtMs: Number.NaN }, TypeError, /matches\[2\].*kickoffAtMs must be a finite/],
  ])('%s', (_, bad, errorClass, message) => {
    expect(() => model.fit(withBad(bad))).toThrow(errorClass);
    expect(() => model.fit(withBad(bad))).toThrow(message);
  });

  it('refuses a match at or after asOf: that would leak the future', () => {
    expect(() => model.fit([good], { asOfMs: START_MS })).toThrow(/matches\[0\].*kicks off at or after asOf 2020-08-01.*leak/);
    expect(() => model.fit([good], { asOfMs: Number.NaN })).toThrow(TypeError);
  });

  it('refuses an empty window, bad options and use before fitting', () => {
    expect(() => model.fit([])).toThrow(/no matches/);
    expect(() => new DixonColes({ xi: -0.1 })).toThrow(/xi must be a finite number >= 0/);
    expect(() => new PoissonGoalModel({ maxGoals: 2.5 })).toThrow(/maxGoals must be an integer/);
    expect(() => new DixonColes().predict('Ajax', 'Benfica')).toThrow(/not fitted yet/);
    const fitted = new DixonColes().fit(league.slice(0, 100));
    expect(() => fitted.rates('Ajax', 'Ajax')).toThrow(/cannot play itself/);
  });
});

describe('feasibleRho', () => {
  it('keeps a fitted rho where every Dixon-Coles weight stays non-negative', () => {
    // The case a full backtest met: rho fitted on few matches, then a lopsided fixture.
    const rho = feasibleRho(-0.3150687053546398, 4.348290568074475, 0.7651517118074599);
    expect(rho).toBeCloseTo(-1 / 4.348290568074475, 15);
    const grid = ScoreGrid.fromRates(4.348290568074475, 0.7651517118074599, { rho });
    expect(grid.probability(0, 1)).toBeGreaterThanOrEqual(0);
    // Ordinary values pass through untouched.
    expect(feasibleRho(-0.08, 1.5, 1.1)).toBe(-0.08);
    expect(feasibleRho(0.5, 2, 2)).toBe(0.25);
  });
});
