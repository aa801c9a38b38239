import { afterAll, beforeAll, expect, it } from 'vitest';
import { bettingStats, listBankrollEntries, listBets, placeBet, settleDueBets } from '../../src/betting/bet-ledger.js';
import { isTipsterError } from '../../src/core/errors.js';
import type { Store } from '../../src/store/store.js';
import { loadPremierLeague } from '../api/football-test-data.js';
import { describePerBackend, freshStore } from '../support/backends.js';

const AS_OF = Date.UTC(2023, 2, 1);
const LATER = Date.UTC(2023, 5, 1);

describePerBackend('bet ledger', (backend) => {
  let store: Store;
  let userId: number;
  let matchId: number;
  let score: { home: number; away: number };

  beforeAll(async () => {
    store = await freshStore(backend);
    await loadPremierLeague(store, ['2223']);
    const user = await store.db
      .insertInto('users')
      .values({ username: 'punter', username_key: 'punter', password_hash: 'x', role: 'free', bankroll_minor: 10_000, currency: 'EUR', risk_level: 'medium', disabled: 0, created_at_ms: 0, updated_at_ms: 0, password_changed_at_ms: 0 })
      .returning('id')
      .executeTakeFirstOrThrow();
    userId = user.id;
    const match = await store.db.selectFrom('matches').select(['id', 'ft_home', 'ft_away']).where('kickoff_at_ms', '>=', AS_OF).orderBy('kickoff_at_ms').limit(1).executeTakeFirstOrThrow();
    matchId = match.id;
    score = { home: match.ft_home!, away: match.ft_away! };
  }, 60_000);
  afterAll(async () => {
    await store.close();
    await backend.cleanup();
  });

  it('two bets racing for the same bankroll cannot overdraw it', async () => {
    const bet = { matchId, market: '1x2', selection: 'home', price: 2, stake: '60.00' };
    const results = await Promise.allSettled([placeBet(store, userId, bet, AS_OF, 1), placeBet(store, userId, bet, AS_OF, 2)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(isTipsterError(refused.reason, 'TIPSTER_ERR_BET_INSUFFICIENT_BANKROLL')).toBe(true);
    const user = await store.db.selectFrom('users').select('bankroll_minor').where('id', '=', userId).executeTakeFirstOrThrow();
    expect(Number(user.bankroll_minor)).toBe(4_000);
  });

  it('records an outside bankroll change as an adjustment, settles quarter lines, and pays each bet once', async () => {
    await store.db.updateTable('users').set({ bankroll_minor: 5_000 }).where('id', '=', userId).execute();
    // Over (goals − 0.25): a quarter line one quarter below the total → half on (goals − 0.5) wins, half on goals pushes.
    const goals = score.home + score.away;
    await placeBet(store, userId, { matchId, market: 'ou', selection: 'over', line: goals - 0.25, price: 1.9, stake: '10.00' }, AS_OF, 3);
    expect(await settleDueBets(store, AS_OF, 4)).toBe(0); // not kicked off yet as of AS_OF
    const settled = await Promise.all([settleDueBets(store, LATER, 5), settleDueBets(store, LATER, 5)]);
    expect(settled[0]! + settled[1]!).toBe(2);
    expect(await settleDueBets(store, LATER, 6)).toBe(0);

    const bets = await listBets(store, userId, { status: 'settled' }, LATER);
    const ou = bets.find((b) => b.market === 'ou')!;
    expect(goals).toBeGreaterThan(0); // the first fixture after 1 March 2023 had goals
    expect(ou.outcome).toBe('half-won');
    expect(ou.returnMinor).toBe(1_450); // 5.00 × 1.90 + 5.00
    const oneXTwo = bets.find((b) => b.market === '1x2')!;
    const homeWon = score.home > score.away;
    expect(oneXTwo.outcome).toBe(homeWon ? 'won' : 'lost');
    expect(oneXTwo.returnMinor).toBe(homeWon ? 12_000 : 0);

    const entries = await listBankrollEntries(store, userId);
    expect(entries.map((e) => e.kind)).toEqual(['opening', 'stake', 'adjustment', 'stake', 'return', 'return']);
    expect(entries[0]!.balanceMinor).toBe(10_000);
    expect(entries[2]!.amountMinor).toBe(1_000); // 40.00 → 50.00 set elsewhere
    const user = await store.db.selectFrom('users').select('bankroll_minor').where('id', '=', userId).executeTakeFirstOrThrow();
    expect(Number(user.bankroll_minor)).toBe(entries.at(-1)!.balanceMinor);

    const stats = await bettingStats(store, userId);
    expect(stats.settledBets).toBe(2);
    expect(stats.turnoverMinor).toBe(7_000);
    expect(stats.profitMinor).toBe(stats.returnsMinor - 7_000);
    expect(stats.roi).toBeCloseTo(stats.profitMinor / 10_000, 12);
  });
});
