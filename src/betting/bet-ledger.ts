import type { Kysely, Transaction } from 'kysely';
import { formatMoneyAmount, parseMoney } from '../accounts/money.js';
import { isTipsterError, TipsterError } from '../core/errors.js';
import type { Database } from '../store/database-schema.js';
import type { Store } from '../store/store.js';
import { BET_MARKETS, BET_SELECTIONS, betReturnMinor, settleBet, type BetMarket, type BetOutcome } from './settle-bet.js';

/** A bet as a client records it. */
export interface NewBet {
  readonly matchId: number;
  readonly market: string;
  readonly selection: string;
  /** Required for ou (total goals) and ah (home handicap); absent otherwise. */
  readonly line?: number;
  readonly price: number;
  /** Decimal string in the user's currency, e.g. "25.00". */
  readonly stake: string;
  readonly bookmaker?: string;
}

/** A recorded bet with its match. */
export interface BetRecord {
  readonly id: number;
  readonly matchId: number;
  readonly competition: string;
  readonly homeTeam: string;
  readonly awayTeam: string;
  readonly kickoffAtMs: number;
  readonly market: BetMarket;
  readonly line: number;
  readonly selection: string;
  readonly price: number;
  readonly stakeMinor: number;
  readonly currency: string;
  readonly bookmaker: string | null;
  readonly placedAtMs: number;
  readonly status: 'open' | 'settled';
  readonly outcome: BetOutcome | null;
  readonly returnMinor: number | null;
  readonly closingPrice: number | null;
  readonly settledAtMs: number | null;
  /** Final score, only for settled bets. */
  readonly homeGoals: number | null;
  readonly awayGoals: number | null;
}

/** One change of a user's bankroll. */
export interface BankrollEntry {
  readonly id: number;
  readonly atMs: number;
  readonly asOfMs: number;
  readonly kind: 'opening' | 'adjustment' | 'stake' | 'return';
  readonly amountMinor: number;
  readonly balanceMinor: number;
  readonly currency: string;
  readonly betId: number | null;
}

const invalid = (reason: string) => new TipsterError('TIPSTER_ERR_BET_INVALID', { reason });

/** Checks the terms of a bet; returns the market and the stored line. */
function validateTerms(bet: NewBet): { market: BetMarket; line: number } {
  if (!(BET_MARKETS as readonly string[]).includes(bet.market)) throw invalid(`market must be one of ${BET_MARKETS.join(', ')}`);
  const market = bet.market as BetMarket;
  if (!BET_SELECTIONS[market].includes(bet.selection)) throw invalid(`selection of ${market} must be one of ${BET_SELECTIONS[market].join(', ')}`);
  if (!(Number.isFinite(bet.price) && bet.price > 1 && bet.price <= 1000)) throw invalid('price must be decimal odds above 1 (at most 1000)');
  if (market === 'ou' || market === 'ah') {
    if (bet.line === undefined || !Number.isInteger(bet.line * 4) || Math.abs(bet.line) > 10) throw invalid(`${market} needs a line that is a multiple of 0.25 (e.g. 2.5, -0.75)`);
    if (market === 'ou' && bet.line <= 0) throw invalid('an over/under line must be positive');
    return { market, line: bet.line };
  }
  if (bet.line !== undefined) throw invalid(`${market} takes no line`);
  return { market, line: 0 };
}

/**
 * Writes a bankroll entry after the user's bankroll moved by `amountMinor` to `balanceMinor`.
 * When the last entry does not lead to the balance before this change, the bankroll was changed
 * elsewhere (the profile route, an administrator): that difference is recorded first, as an
 * adjustment, or as the opening balance on the user's first entry.
 */
async function appendEntry(
  trx: Transaction<Database>,
  entry: { userId: number; atMs: number; asOfMs: number; kind: 'stake' | 'return'; amountMinor: number; balanceMinor: number; currency: string; betId: number },
): Promise<void> {
  const last = await trx.selectFrom('bankroll_entries').select('balance_minor').where('user_id', '=', entry.userId).orderBy('id', 'desc').limit(1).executeTakeFirst();
  const before = entry.balanceMinor - entry.amountMinor;
  const base = { user_id: entry.userId, at_ms: entry.atMs, as_of_ms: entry.asOfMs, currency: entry.currency };
  if (!last) {
    await trx.insertInto('bankroll_entries').values({ ...base, kind: 'opening', amount_minor: before, balance_minor: before, bet_id: null }).execute();
  } else if (Number(last.balance_minor) !== before) {
    await trx.insertInto('bankroll_entries').values({ ...base, kind: 'adjustment', amount_minor: before - Number(last.balance_minor), balance_minor: before, bet_id: null }).execute();
  }
  await trx
    .insertInto('bankroll_entries')
    .values({ ...base, kind: entry.kind, amount_minor: entry.amountMinor, balance_minor: entry.balanceMinor, bet_id: entry.betId })
    .execute();
}

/**
 * Records a bet: the match must kick off at or after the as-of instant and the stake must fit the
 * bankroll. The stake leaves the bankroll in the same transaction, through a conditional update,
 * so two bets racing for the last euro cannot both pass.
 */
export async function placeBet(store: Store, userId: number, bet: NewBet, asOfMs: number, nowMs: number): Promise<BetRecord> {
  const { market, line } = validateTerms(bet);
  const match = await store.db
    .selectFrom('matches as m')
    .innerJoin('competitions as c', 'c.id', 'm.competition_id')
    .select(['m.id', 'm.kickoff_at_ms', 'c.code'])
    .where('m.id', '=', bet.matchId)
    .executeTakeFirst();
  if (!match) throw new TipsterError('TIPSTER_ERR_FOOTBALL_MATCH_NOT_FOUND', { matchId: bet.matchId });
  if (match.kickoff_at_ms < asOfMs) {
    throw new TipsterError('TIPSTER_ERR_BET_MATCH_NOT_UPCOMING', { matchId: bet.matchId, asOf: new Date(asOfMs).toISOString(), code: match.code });
  }
  const id = await store.db.transaction().execute(async (trx) => {
    const user = await trx.selectFrom('users').select(['bankroll_minor', 'currency']).where('id', '=', userId).executeTakeFirstOrThrow();
    let stakeMinor: number;
    try {
      stakeMinor = parseMoney(bet.stake, user.currency).minorUnits;
    } catch (error) {
      if (isTipsterError(error, 'TIPSTER_ERR_ACCOUNT_BANKROLL_INVALID')) throw invalid(`stake ${error.message.replace(/^The bankroll is invalid: /, '')}`);
      throw error;
    }
    if (stakeMinor <= 0) throw invalid('stake must be more than zero');
    const updated = await trx
      .updateTable('users')
      .set((eb) => ({ bankroll_minor: eb('bankroll_minor', '-', stakeMinor) }))
      .where('id', '=', userId)
      .where('bankroll_minor', '>=', stakeMinor)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) {
      throw new TipsterError('TIPSTER_ERR_BET_INSUFFICIENT_BANKROLL', {
        stake: `${formatMoneyAmount({ minorUnits: stakeMinor, currency: user.currency })} ${user.currency}`,
        bankroll: `${formatMoneyAmount({ minorUnits: Number(user.bankroll_minor), currency: user.currency })} ${user.currency}`,
      });
    }
    const inserted = await trx
      .insertInto('bets')
      .values({
        user_id: userId,
        match_id: bet.matchId,
        market,
        line,
        selection: bet.selection,
        price: bet.price,
        stake_minor: stakeMinor,
        currency: user.currency,
        bookmaker: bet.bookmaker ?? null,
        placed_at_ms: nowMs,
        placed_as_of_ms: asOfMs,
        status: 'open',
        outcome: null,
        return_minor: null,
        closing_price: null,
        settled_at_ms: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendEntry(trx, {
      userId,
      atMs: nowMs,
      asOfMs,
      kind: 'stake',
      amountMinor: -stakeMinor,
      balanceMinor: Number(user.bankroll_minor) - stakeMinor,
      currency: user.currency,
      betId: inserted.id,
    });
    return inserted.id;
  });
  const [record] = await listBets(store, userId, { ids: [id] }, asOfMs);
  return record!;
}

/** Closing price of a bet's selection: Pinnacle's, else the market average, else any bookmaker's. */
async function closingPrice(db: Kysely<Database> | Transaction<Database>, matchId: number, market: BetMarket, line: number, selection: string): Promise<number | null> {
  if (market === 'btts') return null;
  const rows = await db
    .selectFrom('odds as o')
    .innerJoin('bookmakers as b', 'b.id', 'o.bookmaker_id')
    .select(['b.slug', 'o.price'])
    .where('o.match_id', '=', matchId)
    .where('o.market', '=', market)
    .where('o.line', '=', line)
    .where('o.selection', '=', selection)
    .where('o.phase', '=', 'close')
    .execute();
  const by = new Map(rows.map((r) => [r.slug, r.price]));
  return by.get('pinnacle') ?? by.get('market-avg') ?? rows.sort((a, b) => a.slug.localeCompare(b.slug))[0]?.price ?? null;
}

/**
 * Settles every open bet (of one user, or everyone's) whose match has a result known as of `asOfMs`.
 * Each bet settles in its own transaction guarded by `status = 'open'`, so running this from several
 * processes at once, or again, never pays a bet twice. Returns how many bets this call settled.
 */
export async function settleDueBets(store: Store, asOfMs: number, nowMs: number, userId?: number): Promise<number> {
  let query = store.db
    .selectFrom('bets as b')
    .innerJoin('matches as m', 'm.id', 'b.match_id')
    .select(['b.id', 'b.user_id', 'b.match_id', 'b.market', 'b.line', 'b.selection', 'b.price', 'b.stake_minor', 'b.currency', 'm.ft_home', 'm.ft_away'])
    .where('b.status', '=', 'open')
    .where('m.status', '=', 'finished')
    .where('m.kickoff_at_ms', '<', asOfMs);
  if (userId !== undefined) query = query.where('b.user_id', '=', userId);
  const due = await query.orderBy('b.id').execute();
  let settled = 0;
  for (const bet of due) {
    if (bet.ft_home === null || bet.ft_away === null) continue;
    const market = bet.market as BetMarket;
    const outcome = settleBet({ market, selection: bet.selection, line: bet.line }, bet.ft_home, bet.ft_away);
    const returnMinor = betReturnMinor(outcome, Number(bet.stake_minor), bet.price);
    const done = await store.db.transaction().execute(async (trx) => {
      const closing = await closingPrice(trx, bet.match_id, market, bet.line, bet.selection);
      const claimed = await trx
        .updateTable('bets')
        .set({ status: 'settled', outcome, return_minor: returnMinor, closing_price: closing, settled_at_ms: nowMs })
        .where('id', '=', bet.id)
        .where('status', '=', 'open')
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) return false;
      const user = await trx
        .updateTable('users')
        .set((eb) => ({ bankroll_minor: eb('bankroll_minor', '+', returnMinor) }))
        .where('id', '=', bet.user_id)
        .returning('bankroll_minor')
        .executeTakeFirstOrThrow();
      await appendEntry(trx, {
        userId: bet.user_id,
        atMs: nowMs,
        asOfMs,
        kind: 'return',
        amountMinor: returnMinor,
        balanceMinor: Number(user.bankroll_minor),
        currency: bet.currency,
        betId: bet.id,
      });
      return true;
    });
    if (done) settled++;
  }
  return settled;
}

/** A user's bets, newest first; results shown only for settled bets. */
export async function listBets(store: Store, userId: number, filter: { status?: 'open' | 'settled'; ids?: readonly number[] }, _asOfMs: number): Promise<BetRecord[]> {
  let query = store.db
    .selectFrom('bets as b')
    .innerJoin('matches as m', 'm.id', 'b.match_id')
    .innerJoin('competitions as c', 'c.id', 'm.competition_id')
    .innerJoin('teams as h', 'h.id', 'm.home_team_id')
    .innerJoin('teams as a', 'a.id', 'm.away_team_id')
    .selectAll('b')
    .select(['c.code as competition', 'h.name as home', 'a.name as away', 'm.kickoff_at_ms', 'm.ft_home', 'm.ft_away'])
    .where('b.user_id', '=', userId);
  if (filter.status !== undefined) query = query.where('b.status', '=', filter.status);
  if (filter.ids !== undefined) query = query.where('b.id', 'in', [...filter.ids]);
  const rows = await query.orderBy('b.id', 'desc').limit(1000).execute();
  return rows.map((r) => {
    const settled = r.status === 'settled';
    return {
      id: r.id,
      matchId: r.match_id,
      competition: r.competition,
      homeTeam: r.home,
      awayTeam: r.away,
      kickoffAtMs: Number(r.kickoff_at_ms),
      market: r.market as BetMarket,
      line: r.line,
      selection: r.selection,
      price: r.price,
      stakeMinor: Number(r.stake_minor),
      currency: r.currency,
      bookmaker: r.bookmaker,
      placedAtMs: Number(r.placed_at_ms),
      status: settled ? 'settled' : 'open',
      outcome: (r.outcome as BetOutcome | null) ?? null,
      returnMinor: r.return_minor === null ? null : Number(r.return_minor),
      closingPrice: r.closing_price,
      settledAtMs: r.settled_at_ms === null ? null : Number(r.settled_at_ms),
      homeGoals: settled ? r.ft_home : null,
      awayGoals: settled ? r.ft_away : null,
    };
  });
}

/** A user's bankroll entries, oldest first. */
export async function listBankrollEntries(store: Store, userId: number): Promise<BankrollEntry[]> {
  const rows = await store.db.selectFrom('bankroll_entries').selectAll().where('user_id', '=', userId).orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    atMs: Number(r.at_ms),
    asOfMs: Number(r.as_of_ms),
    kind: r.kind as BankrollEntry['kind'],
    amountMinor: Number(r.amount_minor),
    balanceMinor: Number(r.balance_minor),
    currency: r.currency,
    betId: r.bet_id,
  }));
}

/** Profit and loss of a user's bets. */
export interface BettingStats {
  readonly openBets: number;
  readonly openStakeMinor: number;
  readonly settledBets: number;
  readonly won: number;
  readonly lost: number;
  /** Stakes of settled bets. */
  readonly turnoverMinor: number;
  readonly returnsMinor: number;
  /** returns − turnover. */
  readonly profitMinor: number;
  /** profit ÷ turnover (null before the first settled bet). */
  readonly yield: number | null;
  /** profit ÷ the bankroll before the first bet (null without one). */
  readonly roi: number | null;
  readonly startingBankrollMinor: number | null;
  /** Mean of price ÷ closing price − 1 over settled bets with a closing price (null when none). */
  readonly closingLineValue: number | null;
  readonly closingLineBets: number;
}

/** Stats over every bet of a user (read from the ledger, so they agree with the bankroll history). */
export async function bettingStats(store: Store, userId: number): Promise<BettingStats> {
  const bets = await store.db.selectFrom('bets').select(['status', 'outcome', 'stake_minor', 'return_minor', 'price', 'closing_price']).where('user_id', '=', userId).execute();
  const opening = await store.db
    .selectFrom('bankroll_entries')
    .select('balance_minor')
    .where('user_id', '=', userId)
    .where('kind', '=', 'opening')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  let openBets = 0;
  let openStakeMinor = 0;
  let settledBets = 0;
  let won = 0;
  let lost = 0;
  let turnoverMinor = 0;
  let returnsMinor = 0;
  let clvSum = 0;
  let clvBets = 0;
  for (const b of bets) {
    if (b.status === 'open') {
      openBets++;
      openStakeMinor += Number(b.stake_minor);
      continue;
    }
    settledBets++;
    if (b.outcome === 'won' || b.outcome === 'half-won') won++;
    if (b.outcome === 'lost' || b.outcome === 'half-lost') lost++;
    turnoverMinor += Number(b.stake_minor);
    returnsMinor += Number(b.return_minor ?? 0);
    if (b.closing_price !== null && b.closing_price > 1) {
      clvSum += b.price / b.closing_price - 1;
      clvBets++;
    }
  }
  const profitMinor = returnsMinor - turnoverMinor;
  const startingBankrollMinor = opening ? Number(opening.balance_minor) : null;
  return {
    openBets,
    openStakeMinor,
    settledBets,
    won,
    lost,
    turnoverMinor,
    returnsMinor,
    profitMinor,
    yield: turnoverMinor > 0 ? profitMinor / turnoverMinor : null,
    roi: startingBankrollMinor !== null && startingBankrollMinor > 0 && settledBets > 0 ? profitMinor / startingBankrollMinor : null,
    startingBankrollMinor,
    closingLineValue: clvBets > 0 ? clvSum / clvBets : null,
    closingLineBets: clvBets,
  };
}
