import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { nbaRetrainPipeline } from '../../src/basketball/training/nba-retrain-pipeline.js';
import { runPipeline } from '../../src/pipelines/run-pipeline.js';
import { isoDays, sampleLines, sampleOfDates } from '../basketball/support/nba-sample.js';
import { describePerBackend } from '../support/backends.js';
import { bearer, problemOf, startTestApp, userWithRole, type SessionJson, type TestApp } from './support/test-app.js';

describePerBackend('NBA routes: predict, court chart, verify', (backend) => {
  let t: TestApp;
  let dataDir: string;
  let alice: SessionJson;
  let bob: SessionJson;

  beforeAll(async () => {
    t = await startTestApp(backend);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tipster-nba-api-'));
    fs.mkdirSync(path.join(dataDir, 'nba-shots'));
    const { header } = sampleLines();
    fs.writeFileSync(path.join(dataDir, 'nba-shots', 'oct-2023.csv'), `${header}\n${sampleOfDates(isoDays('2023-10-24', '2023-10-31')).join('\n')}\n`);
    // Production gets shot-making offsets, so predictions can explain themselves.
    const trained = await runPipeline(t.store, nbaRetrainPipeline({ store: t.store, dataDir, candidates: ['gbt-skill-offsets'] }), { trigger: 'test', heartbeatIntervalMs: 60_000 });
    expect(trained.error).toBeNull();
    alice = await userWithRole(t.app, 'alice', 'free');
    bob = await userWithRole(t.app, 'bob', 'free');
  });
  afterAll(async () => {
    await t.close();
    await backend.cleanup();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('predicts described shots (layups more likely than deep threes), stores them per user, and verifies them with an audit trail', async () => {
    const predicted = await t.app.inject({
      method: 'POST',
      url: '/api/v1/nba/shots/predict-batch',
      headers: bearer(alice),
      payload: { shots: [{ period: 1, clock: '7:32', locX: 0, locY: 6, actionType: 'Driving Layup Shot' }, { period: 4, clock: '0:05', distanceFt: 27 }] },
    });
    expect(predicted.statusCode, predicted.body).toBe(201);
    const { predictions, version } = predicted.json();
    expect(version).toBe(1);
    expect(predictions).toHaveLength(2);
    expect(predictions[0].shot).toMatchObject({ basicZone: 'Restricted Area', shotType: '2PT Field Goal', secondsLeft: 452 });
    expect(predictions[1].shot).toMatchObject({ shotType: '3PT Field Goal' });
    expect(predictions[0].probability).toBeGreaterThan(predictions[1].probability);
    expect(predictions[0]).toMatchObject({ createdByYou: true, verifiedOutcome: null, verifications: 0 });

    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/nba/shots/predict-batch', headers: bearer(alice), payload: { shots: [{ period: 1, clock: '7:32', locX: 0, locY: 6 }, { period: 1, clock: '7:32' }] } });
    expect(problemOf(bad).code).toBe('TIPSTER_ERR_NBA_SHOT_INVALID');
    expect(problemOf(bad).detail).toMatch(/shot 2/);

    // One shot: the body is the shot.
    const one = await t.app.inject({ method: 'POST', url: '/api/v1/nba/shots/predict', headers: bearer(alice), payload: { period: 2, clock: '1:10', distanceFt: 18, actionType: 'Jump Shot' } });
    expect(one.statusCode, one.body).toBe(201);
    expect(one.json()).toMatchObject({ model: 'nba-shot-make', version: 1, prediction: { id: expect.any(String), probability: expect.any(Number), shot: { shotType: '2PT Field Goal' } } });
    const unknownField = await t.app.inject({ method: 'POST', url: '/api/v1/nba/shots/predict', headers: bearer(alice), payload: { period: 2, clock: '1:10', distanceFt: 24, shooter: 'LeBron' } });
    expect(unknownField.statusCode).toBe(400);
    expect(unknownField.body).toMatch(/shooter/);

    // Bob's queue offers one of Alice's predictions; he verifies it.
    const queued = (await t.app.inject({ method: 'GET', url: '/api/v1/nba/shots/predictions/unverified', headers: bearer(bob) })).json().prediction;
    expect(queued).toMatchObject({ createdByYou: false });
    const verified = await t.app.inject({ method: 'POST', url: `/api/v1/nba/shots/predictions/${queued.id}/verify`, headers: bearer(bob), payload: { made: true } });
    expect(verified.json()).toMatchObject({ change: 'recorded', prediction: { verifiedOutcome: true, verifications: 1 } });
    const trail = (await t.app.inject({ method: 'GET', url: `/api/v1/nba/shots/predictions/${queued.id}`, headers: bearer(alice) })).json();
    expect(trail.verifications).toEqual([expect.objectContaining({ byYou: false, made: true })]);
    expect(problemOf(await t.app.inject({ method: 'GET', url: '/api/v1/nba/shots/predictions/nope', headers: bearer(alice) })).code).toBe('TIPSTER_ERR_NBA_PREDICTION_NOT_FOUND');
  });

  it('finds players and teams by name, and explains a prediction by the league expectation, the shooter and the defence', async () => {
    const found = await t.app.inject({ method: 'GET', url: '/api/v1/nba/players?search=LEBRON', headers: bearer(alice) });
    expect(found.statusCode, found.body).toBe(200);
    const [lebron] = found.json().players;
    expect(lebron).toMatchObject({ name: 'LeBron James', teamId: expect.any(Number) });
    const teams = (await t.app.inject({ method: 'GET', url: '/api/v1/nba/teams', headers: bearer(alice) })).json().teams;
    expect(teams).toHaveLength(30);
    const lakers = teams.find((team: { id: number }) => team.id === lebron.teamId);
    expect(lakers.name).toMatch(/Lakers/);
    const denver = teams.find((team: { name: string }) => /Nuggets/.test(team.name));
    expect(problemOf(await t.app.inject({ method: 'GET', url: '/api/v1/nba/players?search=a', headers: bearer(alice) })).status).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/nba/players?search=%25_', headers: bearer(alice) })).json().players).toEqual([]);

    const layup = { period: 1, clock: '7:32', locX: 0, locY: 6, actionType: 'Driving Layup Shot' };
    const predicted = await t.app.inject({
      method: 'POST',
      url: '/api/v1/nba/shots/predict-batch',
      headers: bearer(alice),
      payload: { shots: [{ ...layup, playerId: lebron.id, opponentTeamId: denver.id }, layup] },
    });
    expect(predicted.statusCode, predicted.body).toBe(201);
    const [his, anyone] = predicted.json().predictions;
    expect(his.shot).toMatchObject({ playerId: lebron.id, opponentTeamId: denver.id });
    const { expectedProbability, shooterOffset, defenceOffset } = his.explanation;
    // The same shot by nobody in particular is the league expectation itself.
    expect(anyone.explanation).toEqual({ expectedProbability, shooterOffset: 0, defenceOffset: 0 });
    expect(anyone.probability).toBeCloseTo(expectedProbability, 12);
    expect(shooterOffset).not.toBe(0);
    const logit = Math.log(expectedProbability / (1 - expectedProbability)) + shooterOffset + defenceOffset;
    expect(his.probability).toBeCloseTo(1 / (1 + Math.exp(-logit)), 12);
    // The shot chart for him against Denver moves every cell by the same log-odds.
    const court = (await t.app.inject({ method: 'GET', url: `/api/v1/nba/court?actionType=Jump%20Shot&playerId=${lebron.id}&opponentTeamId=${denver.id}`, headers: bearer(alice) })).json();
    const plain = (await t.app.inject({ method: 'GET', url: '/api/v1/nba/court?actionType=Jump%20Shot', headers: bearer(alice) })).json();
    const logOdds = (p: number) => Math.log(p / (1 - p));
    const shifts = court.cells.map((c: { p: number }, i: number) => logOdds(c.p) - logOdds(plain.cells[i].p));
    expect(shifts.some((d: number) => Math.abs(d) > 1e-6)).toBe(true);
    // Jumpers (mid-range and threes) share one shooter offset; the rim and paint share another.
    expect(new Set(shifts.map((d: number) => d.toFixed(9))).size).toBeLessThanOrEqual(3);
    // Stored with the prediction: reading it back explains it the same way.
    const again = (await t.app.inject({ method: 'GET', url: `/api/v1/nba/shots/predictions/${his.id}`, headers: bearer(alice) })).json();
    expect(again.prediction.explanation).toEqual(his.explanation);
  });

  it('scores the half court for the shot chart: near the rim beats the corner three', async () => {
    const court = (await t.app.inject({ method: 'GET', url: '/api/v1/nba/court', headers: bearer(alice) })).json();
    expect(court.cells.length).toBeGreaterThan(400);
    const at = (x: number, y: number) => court.cells.find((c: { x: number; y: number }) => c.x === x && c.y === y).p;
    expect(at(0, 6)).toBeGreaterThan(at(22, 0));
  });
});
