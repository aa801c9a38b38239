import { afterAll, beforeAll, expect, it } from 'vitest';
import { ModelRegistry } from '../../src/tracking/model-registry.js';
import { describePerBackend } from '../support/backends.js';
import { DEMO_AS_OF, loadPremierLeague, registerProductionModel } from './football-test-data.js';
import { bearer, problemOf, startTestApp, userWithRole, type SessionJson, type TestApp } from './support/test-app.js';

describePerBackend('football routes', (backend) => {
  let t: TestApp;
  let free: SessionJson;
  let premium: SessionJson;
  let admin: SessionJson;
  const get = (url: string, session: SessionJson) => t.app.inject({ method: 'GET', url, headers: bearer(session) });

  beforeAll(async () => {
    t = await startTestApp(backend, { env: { TIPSTER_AS_OF: DEMO_AS_OF } });
    await loadPremierLeague(t.store);
    await registerProductionModel(t.store);
    free = await userWithRole(t.app, 'free-fan', 'free');
    premium = await userWithRole(t.app, 'premium-fan', 'premium');
    admin = await userWithRole(t.app, 'boss', 'admin');
  }, 120_000);
  afterAll(async () => {
    await t.close();
    await backend.cleanup();
  });

  it('lists competitions with seasons, and a competition with its teams and production model', async () => {
    const list = await get('/api/v1/football/competitions', free);
    expect(list.statusCode).toBe(200);
    const body = list.json();
    expect(body.asOf).toBe('2023-03-01T00:00:00.000Z');
    expect(body.competitions).toHaveLength(1);
    expect(body.competitions[0]).toMatchObject({ code: 'E0', name: 'Premier League', country: 'England' });
    expect(body.competitions[0].seasons.map((s: { code: string }) => s.code)).toEqual(['2223', '2122', '2021', '1920']);

    const one = await get('/api/v1/football/competitions/E0', free);
    expect(one.statusCode).toBe(200);
    expect(one.json().season.code).toBe('2223');
    expect(one.json().teams).toHaveLength(20);
    expect(one.json().teams).toContain('Arsenal');
    expect(one.json().model).toMatchObject({ name: 'football-1x2-E0', version: 1, predictor: 'dixon-coles-xi0.0019', fittedAsOf: '2023-03-01T00:00:00.000Z' });

    const missing = await get('/api/v1/football/competitions/XX9', free);
    expect(missing.statusCode).toBe(404);
    expect(problemOf(missing).code).toBe('TIPSTER_ERR_FOOTBALL_COMPETITION_NOT_FOUND');
  });

  it('league table as of a date counts only results known then', async () => {
    const now = (await get('/api/v1/football/competitions/E0/standings', free)).json();
    expect(now.asOf).toBe('2023-03-01T00:00:00.000Z');
    expect(now.table).toHaveLength(20);
    // Arsenal led the 2022/23 table on 1 March 2023 (24 played, 57 points).
    expect(now.table[0]).toMatchObject({ position: 1, team: 'Arsenal', played: 24, points: 57 });
    const played = now.table.reduce((n: number, r: { played: number }) => n + r.played, 0);
    expect(played % 2).toBe(0);
    const earlier = (await get('/api/v1/football/competitions/E0/standings?date=2022-09-01', free)).json();
    expect(earlier.table.every((r: { played: number }) => r.played <= 6)).toBe(true);
    // A date after the service's as-of never reveals later results.
    const later = (await get('/api/v1/football/competitions/E0/standings?date=2023-06-01', free)).json();
    expect(later.table).toEqual(now.table);
  });

  it('fixtures: free users get the next matchday with 1X2 probabilities only; premium may ask for every market', async () => {
    const response = await get('/api/v1/football/competitions/E0/fixtures', free);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.model).toMatchObject({ name: 'football-1x2-E0', version: 1 });
    expect(body.fixtures.length).toBeGreaterThanOrEqual(5);
    expect(body.fixtures.length).toBeLessThanOrEqual(12);
    for (const f of body.fixtures) {
      expect(f.state).toBe('upcoming');
      expect(f.homeGoals).toBeNull();
      expect(Date.parse(f.kickoffAt)).toBeGreaterThanOrEqual(Date.parse(DEMO_AS_OF));
      expect(f.prediction.oneXTwo.home + f.prediction.oneXTwo.draw + f.prediction.oneXTwo.away).toBeCloseTo(1, 9);
      expect(f.prediction.markets).toBeUndefined();
    }
    const refused = await get('/api/v1/football/competitions/E0/fixtures?markets=true', free);
    expect(refused.statusCode).toBe(403);
    expect(problemOf(refused).code).toBe('TIPSTER_ERR_FOOTBALL_PREMIUM_REQUIRED');

    const full = (await get('/api/v1/football/competitions/E0/fixtures?from=2023-03-01&to=2023-03-15&markets=true', premium)).json();
    expect(full.fixtures.length).toBeGreaterThan(body.fixtures.length);
    const markets = full.fixtures[0].prediction.markets;
    expect(markets.oneXTwo).toEqual(full.fixtures[0].prediction.oneXTwo);
    expect(markets.totals.map((m: { line: number }) => m.line)).toEqual([0.5, 1.5, 2.5, 3.5, 4.5]);

    // Only administrators move the as-of of a request.
    expect(problemOf(await get('/api/v1/football/competitions/E0/fixtures?asOf=2022-10-01', premium)).code).toBe('TIPSTER_ERR_FOOTBALL_AS_OF_INVALID');
    const past = (await get('/api/v1/football/competitions/E0/fixtures?asOf=2022-10-01', admin)).json();
    expect(past.asOf).toBe('2022-10-01T00:00:00.000Z');
    expect(past.model.fittedAsOf).toBe('2022-10-01T00:00:00.000Z');
  });

  it('predicts any pairing with every market, home/away or neutral, naming the model version', async () => {
    const response = await get('/api/v1/football/competitions/E0/predict?home=Arsenal&away=Chelsea', premium);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.model).toMatchObject({ name: 'football-1x2-E0', version: 1 });
    const m = body.markets;
    expect(m.oneXTwo.home).toBeGreaterThan(m.oneXTwo.away);
    expect(m.oneXTwo.home + m.oneXTwo.draw + m.oneXTwo.away).toBeCloseTo(1, 9);
    expect(m.fairOdds.home).toBeCloseTo(1 / m.oneXTwo.home, 9);
    expect(m.bothTeamsToScore.yes + m.bothTeamsToScore.no).toBeCloseTo(1, 9);
    const over25 = m.totals.find((x: { line: number }) => x.line === 2.5);
    expect(over25.over.win + over25.under.win).toBeCloseTo(1, 9);
    const ahZero = m.asianHandicap.find((x: { homeLine: number }) => x.homeLine === 0);
    // Draw-no-bet: the draw is a push for both sides.
    expect(ahZero.home.push).toBeCloseTo(m.oneXTwo.draw, 9);
    expect(m.exactScores).toHaveLength(10);
    // The whole grid to 5-5 for the heat-map: the top exact scores are among its cells, and it holds nearly all the mass.
    expect(m.scorelines).toHaveLength(36);
    const cell = (h: number, a: number) => m.scorelines.find((c: { homeGoals: number; awayGoals: number }) => c.homeGoals === h && c.awayGoals === a);
    expect(cell(m.exactScores[0].homeGoals, m.exactScores[0].awayGoals).probability).toBeCloseTo(m.exactScores[0].probability, 12);
    const mass = m.scorelines.reduce((sum: number, c: { probability: number }) => sum + c.probability, 0);
    expect(mass).toBeGreaterThan(0.97);
    expect(mass).toBeLessThanOrEqual(1 + 1e-9);
    expect(m.expectedGoals.home).toBeGreaterThan(0.5);

    const neutral = (await get('/api/v1/football/competitions/E0/predict?home=Arsenal&away=Chelsea&neutral=true', premium)).json();
    expect(neutral.neutral).toBe(true);
    expect(neutral.markets.oneXTwo.home).toBeLessThan(m.oneXTwo.home);

    const unknown = await get('/api/v1/football/competitions/E0/predict?home=Arsenal&away=Real%20Madrid', premium);
    expect(unknown.statusCode).toBe(404);
    expect(problemOf(unknown).code).toBe('TIPSTER_ERR_FOOTBALL_TEAM_NOT_FOUND');
    expect((await get('/api/v1/football/competitions/E0/predict?home=Arsenal&away=Chelsea', free)).statusCode).toBe(403);

    const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/tipster_predictions_served_total\{model="football-1x2-E0",version="1"\} \d+/);
  });

  it('picks up a promotion without a restart', async () => {
    const registry = new ModelRegistry(t.store);
    const { registerProductionModel: register } = await import('./football-test-data.js');
    const v2 = await register(t.store, 'E0', 'poisson-xi0.0019');
    expect(v2).toBe(2);
    expect((await registry.getModelVersionByAlias('football-1x2-E0', 'production'))?.version).toBe(2);
    // The app's registry re-checks the alias within a second (its own cache); poll without a timed assert.
    let version = 1;
    for (let i = 0; i < 100 && version !== 2; i++) {
      version = (await get('/api/v1/football/competitions/E0/predict?home=Arsenal&away=Chelsea', premium)).json().model.version;
      if (version !== 2) await new Promise((r) => setTimeout(r, 50));
    }
    expect(version).toBe(2);
  });
});
