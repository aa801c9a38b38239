import crypto from 'node:crypto';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildGoalModelData } from './goal-model-data.js';
import { DixonColes } from './dixon-coles.js';
import { dixonColesNegativeLogLikelihood } from './dixon-coles-likelihood.js';
import type { GoalMatch, GoalModel } from './goal-model.js';
import { PoissonGoalModel } from './poisson-goal-model.js';
import { poissonNegativeLogLikelihood } from './poisson-likelihood.js';

// Reference values from bench/reference/dixon_coles_reference.py (scipy L-BFGS-B, tight tolerances)
// on the bundled E0 2019/20–2021/22 results, kick-offs taken as UTC midnight of the match date.

interface Prediction {
  home: string;
  away: string;
  neutral: boolean;
  rates: { home: number; away: number };
  oneXTwo: { home: number; draw: number; away: number };
}
interface FittedReference {
  teams: Record<string, { attack: number; defence: number; weightedMatches: number }>;
  intercept: number;
  homeAdvantage: number;
  rho?: number;
  weakestTeams: string[];
  promotedLevel: { attack: number; defence: number };
  predictions: Prediction[];
  objective: number;
  negativeLogLikelihood: number;
  penalty: number;
}
interface Scenario {
  asOfMs: number;
  matches: number;
  teams: string[];
  dixonColes: FittedReference;
  poisson?: FittedReference;
}
interface Fixture {
  files: { file: string; sha256: string }[];
  settings: { xi: number; maxGoals: number };
  fixedPoint: {
    parameters: number[];
    dixonColes: { negativeLogLikelihood: number; gradient: number[] };
    poisson: { negativeLogLikelihood: number; gradient: number[] };
  };
  endOfSeason: Scenario;
  earlySeason: Scenario;
}

const fixture = JSON.parse(
  fs.readFileSync(new URL('./fixtures/goal-model-reference.json', import.meta.url), 'utf8'),
) as Fixture;
const DATA_DIR = new URL('../../../data/football-data/', import.meta.url);

/** Date, HomeTeam, AwayTeam, FTHG, FTAG of a football-data CSV; these columns never hold quoted commas. */
function readMatches(file: string): GoalMatch[] {
  const text = fs.readFileSync(new URL(file, DATA_DIR), 'utf8').replace(/^\uFEFF/, '');
  const [headerLine, ...lines] = text.split(/\r?\n/);
  const header = headerLine!.split(',');
  const column = (name: string): number => header.indexOf(name);
  const [date, home, away, homeGoals, awayGoals] = ['Date', 'HomeTeam', 'AwayTeam', 'FTHG', 'FTAG'].map(column);
  return lines
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const cells = line.split(',');
      const [day, month, year] = cells[date!]!.split('/').map(Number);
      return {
        homeTeam: cells[home!]!,
        awayTeam: cells[away!]!,
        homeGoals: Number(cells[homeGoals!]),
        awayGoals: Number(cells[awayGoals!]),
        kickoffAtMs: Date.UTC(year!, month! - 1, day!),
      };
    });
}

const allMatches = fixture.files.flatMap((f) => readMatches(f.file));
const windowOf = (scenario: Scenario): GoalMatch[] => allMatches.filter((m) => m.kickoffAtMs < scenario.asOfMs);

function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.max(1, Math.abs(expected));
}

describe('E0 data the references were computed from', () => {
  it('is byte-identical to what the generator read', () => {
    for (const { file, sha256 } of fixture.files) {
      const digest = crypto.createHash('sha256').update(fs.readFileSync(new URL(file, DATA_DIR))).digest('hex');
      expect(digest, file).toBe(sha256);
    }
    expect(windowOf(fixture.endOfSeason)).toHaveLength(fixture.endOfSeason.matches);
    expect(windowOf(fixture.earlySeason)).toHaveLength(fixture.earlySeason.matches);
  });
});

describe('likelihood kernels at a fixed parameter vector (vs numpy)', () => {
  const scenario = fixture.endOfSeason;
  const teamIndex = new Map(scenario.teams.map((team, i) => [team, i] as const));
  const data = buildGoalModelData(windowOf(scenario), teamIndex, scenario.asOfMs, fixture.settings.xi);
  const dixonColesParams = Float64Array.from(fixture.fixedPoint.parameters);
  const poissonParams = dixonColesParams.slice(0, -1);
  const kernels = [
    ['Dixon-Coles', dixonColesNegativeLogLikelihood, dixonColesParams, fixture.fixedPoint.dixonColes],
    ['Poisson', poissonNegativeLogLikelihood, poissonParams, fixture.fixedPoint.poisson],
  ] as const;

  it.each(kernels)('%s: NLL to 1e-12 relative and gradient to 1e-9 relative', (_, kernel, params, expected) => {
    const gradient = new Float64Array(params.length);
    expect(relativeError(kernel(data, params, gradient), expected.negativeLogLikelihood)).toBeLessThan(1e-12);
    for (let k = 0; k < params.length; k++) {
      expect(relativeError(gradient[k]!, expected.gradient[k]!), `gradient[${k}]`).toBeLessThan(1e-9);
    }
  });

  it.each(kernels)('%s: analytic gradient matches central finite differences to 1e-6', (_, kernel, params) => {
    const gradient = new Float64Array(params.length);
    const scratch = new Float64Array(params.length);
    kernel(data, params, gradient);
    const probe = Float64Array.from(params);
    const h = 1e-5;
    for (let k = 0; k < params.length; k++) {
      probe[k] = params[k]! + h;
      const up = kernel(data, probe, scratch);
      probe[k] = params[k]! - h;
      const down = kernel(data, probe, scratch);
      probe[k] = params[k]!;
      // Central differences of an O(1e3) sum: truncation ~h², rounding ~1e-13/h.
      expect(Math.abs((up - down) / (2 * h) - gradient[k]!), `parameter ${k}`).toBeLessThan(1e-6 * Math.max(1, Math.abs(gradient[k]!)));
    }
  });

  it('Dixon-Coles is +Infinity where rho makes an observed low score impossible', () => {
    const params = Float64Array.from(dixonColesParams);
    params[params.length - 1] = 1.5; // tau(1,1) = 1 − rho < 0
    expect(dixonColesNegativeLogLikelihood(data, params, new Float64Array(params.length))).toBe(Number.POSITIVE_INFINITY);
  });

  it('with rho = 0 Dixon-Coles reduces to the Poisson model', () => {
    const params = Float64Array.from(dixonColesParams);
    params[params.length - 1] = 0;
    const withRho = new Float64Array(params.length);
    const without = new Float64Array(params.length - 1);
    expect(dixonColesNegativeLogLikelihood(data, params, withRho)).toBeCloseTo(
      poissonNegativeLogLikelihood(data, params.subarray(0, -1), without),
      9,
    );
    for (let k = 0; k < without.length; k++) expect(withRho[k]).toBeCloseTo(without[k]!, 9);
  });
});

function expectMatchesReference(model: GoalModel, scenario: Scenario, reference: FittedReference): void {
  const summary = model.fitSummary();
  expect(summary.converged, summary.message).toBe(true);
  expect(summary.matches).toBe(scenario.matches);
  // The brief's acceptance bar: the optimum to 1e-6 relative and 1X2 to 1e-4.
  expect(relativeError(summary.objective, reference.objective)).toBeLessThan(1e-6);
  expect(relativeError(summary.negativeLogLikelihood, reference.negativeLogLikelihood)).toBeLessThan(1e-6);
  expect(Math.abs(summary.penalty - reference.penalty)).toBeLessThan(1e-4);

  const parameters = model.parameters();
  expect(parameters.teams.map((t) => t.team)).toEqual(scenario.teams);
  for (const rating of parameters.teams) {
    const expected = reference.teams[rating.team]!;
    expect(Math.abs(rating.attack - expected.attack), `${rating.team} attack`).toBeLessThan(1e-4);
    expect(Math.abs(rating.defence - expected.defence), `${rating.team} defence`).toBeLessThan(1e-4);
    expect(relativeError(rating.weightedMatches, expected.weightedMatches)).toBeLessThan(1e-12);
  }
  expect(Math.abs(parameters.intercept - reference.intercept)).toBeLessThan(1e-4);
  expect(Math.abs(parameters.homeAdvantage - reference.homeAdvantage)).toBeLessThan(1e-4);
  if (reference.rho !== undefined) expect(Math.abs(parameters.extra.rho! - reference.rho)).toBeLessThan(1e-4);
  expect(parameters.promotedLevel.teams).toEqual(reference.weakestTeams);
  expect(Math.abs(parameters.promotedLevel.attack - reference.promotedLevel.attack)).toBeLessThan(1e-4);
  expect(Math.abs(parameters.promotedLevel.defence - reference.promotedLevel.defence)).toBeLessThan(1e-4);

  for (const p of reference.predictions) {
    const label = `${p.home} v ${p.away}${p.neutral ? ' (neutral)' : ''}`;
    const rates = model.rates(p.home, p.away, { neutral: p.neutral });
    expect(relativeError(rates.home, p.rates.home), label).toBeLessThan(1e-4);
    expect(relativeError(rates.away, p.rates.away), label).toBeLessThan(1e-4);
    const oneXTwo = model.predict(p.home, p.away, { neutral: p.neutral }).oneXTwo();
    expect(Math.abs(oneXTwo.home - p.oneXTwo.home), label).toBeLessThan(1e-4);
    expect(Math.abs(oneXTwo.draw - p.oneXTwo.draw), label).toBeLessThan(1e-4);
    expect(Math.abs(oneXTwo.away - p.oneXTwo.away), label).toBeLessThan(1e-4);
  }
}

describe('fits vs scipy L-BFGS-B on E0 2019/20–2021/22', () => {
  it('Dixon-Coles at 2022-06-01 (xi 0.0019): optimum, parameters and 1X2, incl. unseen Nottingham Forest', () => {
    const scenario = fixture.endOfSeason;
    const model = new DixonColes({ xi: fixture.settings.xi }).fit(windowOf(scenario), { asOfMs: scenario.asOfMs });
    expectMatchesReference(model, scenario, scenario.dixonColes);
    expect(model.knowsTeam("Nott'm Forest")).toBe(false);
    expect(model.knowsTeam('Arsenal')).toBe(true);
  });

  it('Poisson at 2022-06-01: optimum, parameters and 1X2', () => {
    const scenario = fixture.endOfSeason;
    const model = new PoissonGoalModel({ xi: fixture.settings.xi }).fit(windowOf(scenario), { asOfMs: scenario.asOfMs });
    expectMatchesReference(model, scenario, scenario.poisson!);
  });

  it('Dixon-Coles at 2021-08-24, two matches into Brentford\'s first season: shrinkage as in the reference', () => {
    const scenario = fixture.earlySeason;
    const model = new DixonColes().fit(windowOf(scenario), { asOfMs: scenario.asOfMs });
    expectMatchesReference(model, scenario, scenario.dixonColes);
    const brentford = model.parameters().teams.find((t) => t.team === 'Brentford')!;
    expect(brentford.weightedMatches).toBeLessThan(2);
  });

  it('a warm-started refit lands on the same optimum with far fewer evaluations', () => {
    const scenario = fixture.endOfSeason;
    const window = windowOf(scenario);
    const weekEarlier = new DixonColes().fit(window.filter((m) => m.kickoffAtMs < scenario.asOfMs - 7 * 86_400_000), {
      asOfMs: scenario.asOfMs - 7 * 86_400_000,
    });
    const cold = new DixonColes().fit(window, { asOfMs: scenario.asOfMs });
    const warm = new DixonColes().fit(window, { asOfMs: scenario.asOfMs, warmStart: weekEarlier });
    expect(relativeError(warm.fitSummary().objective, cold.fitSummary().objective)).toBeLessThan(1e-10);
    const a = warm.predict('Man City', 'Liverpool').oneXTwo();
    const b = cold.predict('Man City', 'Liverpool').oneXTwo();
    expect(Math.abs(a.home - b.home) + Math.abs(a.draw - b.draw)).toBeLessThan(1e-5);
    expect(warm.fitSummary().evaluations).toBeLessThan(cold.fitSummary().evaluations / 2);
  });
});
