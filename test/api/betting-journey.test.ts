import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../src/api/build-app.js';
import { settleDueBets } from '../../src/betting/bet-ledger.js';
import { loadConfig } from '../../src/core/config.js';
import { describePerBackend } from '../support/backends.js';
import { DEMO_AS_OF, loadPremierLeague, registerProductionModel } from './football-test-data.js';
import { bearer, FAST_HASH, GOOD_PASSWORD, problemOf, startTestApp, userWithRole, type TestApp } from './support/test-app.js';

/**
 * The "done when" of issue 5, through the API only: a new user signs up, logs in, sets bankroll and
 * risk, sees predictions and (once premium) value bets with stakes, records a bet, and sees it
 * settle when the service's as-of moves past the match.
 */
describePerBackend('betting journey', (backend) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(backend, { env: { TIPSTER_AS_OF: DEMO_AS_OF } });
    await loadPremierLeague(t.store);
    await registerProductionModel(t.store);
  }, 120_000);
  afterAll(async () => {
    await t.close();
    await backend.cleanup();
  });

  it('/docs documents every football and betting route', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json<{ paths: Record<string, Record<string, { summary?: string }>> }>();
    for (const [path, method] of [
      ['/api/v1/football/competitions', 'get'],
      ['/api/v1/football/competitions/{code}/standings', 'get'],
      ['/api/v1/football/competitions/{code}/fixtures', 'get'],
      ['/api/v1/football/competitions/{code}/predict', 'get'],
      ['/api/v1/betting/value-bets', 'get'],
      ['/api/v1/betting/bets', 'post'],
      ['/api/v1/betting/bets', 'get'],
      ['/api/v1/betting/bankroll-history', 'get'],
      ['/api/v1/betting/stats', 'get'],
    ] as const) {
      expect(spec.paths[path]?.[method]?.summary, `${method} ${path}`).toBeTruthy();
    }
  });

  it('sign up → predictions → value bets with stakes → record a bet → it settles when the as-of moves on', async () => {
    const { app } = t;
    const signup = await app.inject({ method: 'POST', url: '/api/v1/auth/signup', payload: { username: 'newbie', password: GOOD_PASSWORD, bankroll: { amount: '500.00' }, riskLevel: 'low' } });
    expect(signup.statusCode).toBe(201);
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'newbie', password: GOOD_PASSWORD } });
    expect(login.statusCode).toBe(200);
    const auth = bearer(login.json());
    const me = await app.inject({ method: 'PATCH', url: '/api/v1/me', headers: auth, payload: { bankroll: { amount: '2000.00' }, riskLevel: 'medium' } });
    expect(me.json()).toMatchObject({ bankroll: { amount: '2000.00', currency: 'EUR' }, riskLevel: 'medium' });

    const fixtures = await app.inject({ method: 'GET', url: '/api/v1/football/competitions/E0/fixtures', headers: auth });
    expect(fixtures.statusCode).toBe(200);
    expect(fixtures.json().fixtures[0].prediction).toMatchObject({ model: 'football-1x2-E0', version: 1 });

    // Value bets are premium: a free account is told so; an administrator upgrades the user.
    const refused = await app.inject({ method: 'GET', url: '/api/v1/betting/value-bets', headers: auth });
    expect(refused.statusCode).toBe(403);
    const admin = await userWithRole(app, 'boss', 'admin');
    const upgrade = await app.inject({ method: 'PATCH', url: `/api/v1/admin/users/${signup.json().user.id}`, headers: bearer(admin), payload: { role: 'premium', reason: 'paid' } });
    expect(upgrade.statusCode).toBe(200);

    const value = await app.inject({ method: 'GET', url: '/api/v1/betting/value-bets?days=14', headers: auth });
    expect(value.statusCode).toBe(200);
    const advice = value.json();
    expect(advice.riskLevel).toBe('medium');
    expect(advice.policy).toMatchObject({ kellyMultiplier: 0.25, maxStakeFraction: 0.05, maxTotalFraction: 0.2 });
    expect(advice.bets.length).toBeGreaterThan(0);
    let total = 0;
    for (const bet of advice.bets) {
      expect(bet.edge).toBeCloseTo(bet.probability * bet.price - 1, 12);
      expect(bet.edge).toBeGreaterThanOrEqual(0.02);
      expect(bet.fullKellyFraction).toBeCloseTo(bet.edge / (bet.price - 1), 12);
      expect(bet.stakeFraction).toBeLessThanOrEqual(0.05 + 1e-12);
      expect(bet.stake.minorUnits).toBe(Math.floor(200_000 * bet.stakeFraction + 1e-9));
      expect(bet.bookmaker).not.toMatch(/^(market|betbrain)-/);
      expect(bet.explanation).toContain('edge = ');
      expect(bet.explanation).toContain(`stake = `);
      if (process.env.TIPSTER_PRINT_EXPLANATION) process.stderr.write(`${bet.explanation}\n`);
      expect(bet.match.state).toBe('upcoming');
      total += bet.stake.minorUnits;
    }
    expect(total).toBe(advice.totalStake.minorUnits);
    expect(total).toBeLessThanOrEqual(40_000);

    // Record the first suggestion.
    const pick = advice.bets[0];
    const placed = await app.inject({
      method: 'POST',
      url: '/api/v1/betting/bets',
      headers: auth,
      payload: { matchId: pick.match.matchId, market: '1x2', selection: pick.selection, price: pick.price, stake: pick.stake.amount, bookmaker: pick.bookmaker },
    });
    expect(placed.statusCode, placed.body).toBe(201);
    const bet = placed.json();
    expect(bet).toMatchObject({ status: 'open', outcome: null, homeGoals: null, stake: { minorUnits: pick.stake.minorUnits } });
    const bankrollAfterStake = 200_000 - pick.stake.minorUnits;
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: auth })).json().bankroll.minorUnits).toBe(bankrollAfterStake);

    // Validation: too big a stake, a match already played, a line on 1X2.
    const tooMuch = await app.inject({ method: 'POST', url: '/api/v1/betting/bets', headers: auth, payload: { matchId: pick.match.matchId, market: '1x2', selection: 'home', price: 2, stake: '99999.00' } });
    expect(problemOf(tooMuch).code).toBe('TIPSTER_ERR_BET_INSUFFICIENT_BANKROLL');
    const played = (await app.inject({ method: 'GET', url: '/api/v1/football/competitions/E0/standings', headers: auth })).json();
    expect(played.table[0].played).toBeGreaterThan(0);
    const past = await app.inject({ method: 'GET', url: '/api/v1/football/competitions/E0/fixtures?from=2023-02-01&to=2023-02-10', headers: auth });
    const pastMatch = past.json().fixtures[0];
    expect(pastMatch.state).toBe('finished');
    const late = await app.inject({ method: 'POST', url: '/api/v1/betting/bets', headers: auth, payload: { matchId: pastMatch.matchId, market: '1x2', selection: 'home', price: 2, stake: '1.00' } });
    expect(problemOf(late).code).toBe('TIPSTER_ERR_BET_MATCH_NOT_UPCOMING');
    const lined = await app.inject({ method: 'POST', url: '/api/v1/betting/bets', headers: auth, payload: { matchId: pick.match.matchId, market: '1x2', selection: 'home', line: 0.5, price: 2, stake: '1.00' } });
    expect(problemOf(lined).code).toBe('TIPSTER_ERR_BET_INVALID');

    const open = (await app.inject({ method: 'GET', url: '/api/v1/betting/bets?status=open', headers: auth })).json();
    expect(open.bets.map((b: { id: number }) => b.id)).toEqual([bet.id]);

    // Later: the service runs at a date after the match (another process on the same store).
    const later = await buildApp({
      store: t.store,
      config: loadConfig({ TIPSTER_VAR_DIR: t.varDir, TIPSTER_AS_OF: '2023-06-01' }, process.cwd()),
      passwordHashCost: FAST_HASH,
      defaultMetrics: false,
      rateLimit: false,
    });
    try {
      const relogin = await later.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'newbie', password: GOOD_PASSWORD } });
      const auth2 = bearer(relogin.json());
      const settled = (await later.inject({ method: 'GET', url: '/api/v1/betting/bets', headers: auth2 })).json().bets;
      expect(settled).toHaveLength(1);
      const s = settled[0];
      expect(s.status).toBe('settled');
      expect(s.homeGoals).not.toBeNull();
      const result = s.homeGoals > s.awayGoals ? 'home' : s.homeGoals === s.awayGoals ? 'draw' : 'away';
      const won = result === pick.selection;
      expect(s.outcome).toBe(won ? 'won' : 'lost');
      const expectedReturn = won ? Number((BigInt(pick.stake.minorUnits) * BigInt(Math.round(pick.price * 1e6))) / 1_000_000n) : 0;
      expect(s.return.minorUnits).toBe(expectedReturn);
      expect(s.closingPrice).toBeGreaterThan(1);
      expect(s.closingLineValue).toBeCloseTo(pick.price / s.closingPrice - 1, 12);

      const history = (await later.inject({ method: 'GET', url: '/api/v1/betting/bankroll-history', headers: auth2 })).json();
      expect(history.entries.map((e: { kind: string }) => e.kind)).toEqual(['opening', 'stake', 'return']);
      expect(history.entries[0].balance.minorUnits).toBe(200_000);
      expect(history.entries.at(-1).balance.minorUnits).toBe(bankrollAfterStake + expectedReturn);
      expect(history.bankroll.minorUnits).toBe(bankrollAfterStake + expectedReturn);

      const stats = (await later.inject({ method: 'GET', url: '/api/v1/betting/stats', headers: auth2 })).json();
      const profit = expectedReturn - pick.stake.minorUnits;
      expect(stats).toMatchObject({ openBets: 0, settledBets: 1, won: won ? 1 : 0, lost: won ? 0 : 1, profit: { minorUnits: profit }, closingLineBets: 1 });
      expect(stats.yield).toBeCloseTo(profit / pick.stake.minorUnits, 12);
      expect(stats.roi).toBeCloseTo(profit / 200_000, 12);
      expect(stats.closingLineValue).toBeCloseTo(s.closingLineValue, 12);

      // Settlement is idempotent: sweeping again (even concurrently) pays nothing twice.
      const again = await Promise.all([settleDueBets(t.store, Date.UTC(2023, 5, 1), 0), settleDueBets(t.store, Date.UTC(2023, 5, 1), 0)]);
      expect(again).toEqual([0, 0]);
      expect((await later.inject({ method: 'GET', url: '/api/v1/me', headers: auth2 })).json().bankroll.minorUnits).toBe(bankrollAfterStake + expectedReturn);
    } finally {
      await later.close();
    }
  });
});
