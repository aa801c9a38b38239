import { findBookmaker } from '../football/bookmakers.js';
import type { OneXTwoPrices } from '../football/football-match.js';
import { DEFAULT_STAKING_POLICY, sizeStakes, type StakingPolicy } from './kelly-staking.js';
import type { RiskLevel } from '../accounts/risk-levels.js';
import { betReturnMinor } from './settle-bet.js';
import { bestValueSelection, ONE_X_TWO_SELECTIONS, type OneXTwoSelection } from './value-bets.js';

const DAY_MS = 86_400_000;

/** What the value-bet backtest needs of one evaluated match (a PlayedMatch has all of it). */
export interface ValueBetMatch {
  readonly matchId: number;
  readonly competition: string;
  readonly season: string;
  readonly kickoffAtMs: number;
  readonly homeTeam: string;
  readonly awayTeam: string;
  readonly homeGoals: number;
  readonly awayGoals: number;
  /** Pre-match prices by bookmaker slug; aggregates (market-max, …) are dropped, as the API does. */
  readonly preMatchOdds: Readonly<Record<string, OneXTwoPrices>>;
  /** Closing prices by bookmaker slug: used only to measure closing-line value, never to pick or size a bet. */
  readonly closingOdds: Readonly<Record<string, OneXTwoPrices>>;
}

export interface ValueBetBacktestOptions {
  /** Smallest edge p × price − 1 to bet (the API's default 0.02). */
  readonly minEdge?: number;
  /** Risk level whose Kelly multiplier sizes the stakes (default medium: 0.25). */
  readonly riskLevel?: RiskLevel;
  readonly policy?: StakingPolicy;
  /** Starting bankroll in minor units (default 100 000 = 1 000.00). */
  readonly startingBankrollMinor?: number;
}

/** One bet placed and settled. */
export interface BacktestBet {
  readonly matchId: number;
  readonly competition: string;
  readonly season: string;
  readonly kickoffAtMs: number;
  readonly fixture: string;
  readonly selection: OneXTwoSelection;
  readonly probability: number;
  readonly price: number;
  readonly bookmaker: string;
  readonly edge: number;
  readonly stakeFraction: number;
  readonly stakeMinor: number;
  readonly returnMinor: number;
  readonly won: boolean;
  /** Closing price of the selection (Pinnacle's, else the market average, else any bookmaker's), null without one. */
  readonly closingPrice: number | null;
}

/** Totals over a set of bets. */
export interface ValueBetTotals {
  readonly bets: number;
  readonly won: number;
  readonly stakedMinor: number;
  readonly profitMinor: number;
  /** profit / staked. */
  readonly yield: number;
  /** Profit of 1 unit on every bet, over bets: the rule's edge without the staking. */
  readonly flatYield: number;
  readonly meanEdge: number;
  readonly meanPrice: number;
}

export interface ValueBetBacktestResult extends ValueBetTotals {
  /** Matches the model priced and that had a real bookmaker's price. */
  readonly matchesConsidered: number;
  readonly startingBankrollMinor: number;
  readonly finalBankrollMinor: number;
  /** profit / starting bankroll. */
  readonly roi: number;
  /** Largest fall from a running peak of the bankroll, as a share of that peak (0..1). */
  readonly maxDrawdown: number;
  /** Bankroll after each betting day settled: [UTC day start ms, bankroll minor units]; starts with the starting bankroll. */
  readonly bankrollCurve: readonly (readonly [number, number])[];
  /** Closing-line value over the bets with a closing price: mean of price / closing price − 1, and the share with price > closing. */
  readonly closingLine: { readonly bets: number; readonly meanClv: number; readonly beatClosingShare: number } | null;
  readonly bySeason: readonly ({ readonly competition: string; readonly season: string } & ValueBetTotals)[];
  readonly betList: readonly BacktestBet[];
}

/** The books the API would bet at: real bookmakers and exchanges with three prices above 1. */
export function bettableBooks(odds: Readonly<Record<string, OneXTwoPrices>>): Record<string, OneXTwoPrices> {
  const books: Record<string, OneXTwoPrices> = {};
  for (const [slug, book] of Object.entries(odds)) {
    const kind = findBookmaker(slug)?.kind;
    if (kind === undefined || kind === 'aggregate') continue;
    if (book.home > 1 && book.draw > 1 && book.away > 1) books[slug] = book;
  }
  return books;
}

/** The closing price of a selection as the bet ledger takes it: Pinnacle, else market average, else the first slug. */
export function closingPriceOf(closing: Readonly<Record<string, OneXTwoPrices>>, selection: OneXTwoSelection): number | null {
  const ok = (slug: string) => (closing[slug] && closing[slug]![selection] > 1 ? closing[slug]![selection] : undefined);
  const preferred = ok('pinnacle') ?? ok('market-avg');
  if (preferred !== undefined) return preferred;
  for (const slug of Object.keys(closing).sort()) {
    const price = ok(slug);
    if (price !== undefined) return price;
  }
  return null;
}

/**
 * A logarithmic pool of two row-major n × 3 probability matrices: p ∝ a^w · b^(1−w), renormalised.
 * Rows where either is NaN stay NaN.
 */
export function logarithmicBlend(a: Float64Array, b: Float64Array, weightOfA: number): Float64Array {
  if (a.length !== b.length) throw new RangeError('matrices differ in size');
  const out = new Float64Array(a.length).fill(Number.NaN);
  for (let r = 0; r < a.length; r += 3) {
    let z = 0;
    const row = [0, 0, 0];
    for (let k = 0; k < 3; k++) {
      row[k] = Math.exp(weightOfA * Math.log(a[r + k]!) + (1 - weightOfA) * Math.log(b[r + k]!));
      z += row[k]!;
    }
    if (!(z > 0) || !Number.isFinite(z)) continue;
    for (let k = 0; k < 3; k++) out[r + k] = row[k]! / z;
  }
  return out;
}

function totals(bets: readonly BacktestBet[]): ValueBetTotals {
  let stakedMinor = 0;
  let profitMinor = 0;
  let flat = 0;
  let won = 0;
  let edge = 0;
  let price = 0;
  for (const b of bets) {
    stakedMinor += b.stakeMinor;
    profitMinor += b.returnMinor - b.stakeMinor;
    flat += b.won ? b.price - 1 : -1;
    if (b.won) won++;
    edge += b.edge;
    price += b.price;
  }
  const n = bets.length;
  return {
    bets: n,
    won,
    stakedMinor,
    profitMinor,
    yield: stakedMinor > 0 ? profitMinor / stakedMinor : 0,
    flatYield: n > 0 ? flat / n : 0,
    meanEdge: n > 0 ? edge / n : 0,
    meanPrice: n > 0 ? price / n : 0,
  };
}

/**
 * Replays the API's value-bet rule over walk-forward predictions. For each match the model priced:
 * the selection with the largest edge p × best real pre-match price − 1, if ≥ minEdge (one bet per
 * match, `bestValueSelection`). Bets on matches kicking off the same UTC day are sized together from
 * the bankroll as it stands that morning with `sizeStakes` (Kelly × risk multiplier, per-bet cap, total
 * cap, stakes rounded down to minor units), exactly as the API sizes the bets it serves at one time,
 * and settled that evening at the pre-match price against the real result (`betReturnMinor`).
 * `probabilities` is row-major n × 3 (home, draw, away) aligned with `matches`, NaN where the model gave none.
 */
export function backtestValueBets(
  matches: readonly ValueBetMatch[],
  probabilities: Float64Array,
  options: ValueBetBacktestOptions = {},
): ValueBetBacktestResult {
  if (probabilities.length !== matches.length * 3) throw new RangeError('probabilities must be n × 3 for n matches');
  const minEdge = options.minEdge ?? 0.02;
  const riskLevel = options.riskLevel ?? 'medium';
  const policy = options.policy ?? DEFAULT_STAKING_POLICY;
  const startingBankrollMinor = options.startingBankrollMinor ?? 100_000;

  // Candidates in kick-off order, grouped by UTC day.
  const order = matches.map((_, i) => i).sort((x, y) => matches[x]!.kickoffAtMs - matches[y]!.kickoffAtMs || matches[x]!.matchId - matches[y]!.matchId);
  let matchesConsidered = 0;
  const days = new Map<number, { index: number; value: NonNullable<ReturnType<typeof bestValueSelection>> }[]>();
  for (const i of order) {
    const p = { home: probabilities[i * 3]!, draw: probabilities[i * 3 + 1]!, away: probabilities[i * 3 + 2]! };
    if (ONE_X_TWO_SELECTIONS.some((s) => !Number.isFinite(p[s]))) continue;
    const books = bettableBooks(matches[i]!.preMatchOdds);
    if (Object.keys(books).length === 0) continue;
    matchesConsidered++;
    const value = bestValueSelection(p, books, minEdge);
    if (!value) continue;
    const day = Math.floor(matches[i]!.kickoffAtMs / DAY_MS) * DAY_MS;
    let list = days.get(day);
    if (!list) days.set(day, (list = []));
    list.push({ index: i, value });
  }

  let bankroll = startingBankrollMinor;
  let peak = bankroll;
  let maxDrawdown = 0;
  const curve: [number, number][] = [[order.length > 0 ? Math.floor(matches[order[0]!]!.kickoffAtMs / DAY_MS) * DAY_MS : 0, bankroll]];
  const betList: BacktestBet[] = [];
  for (const [day, candidates] of days) {
    const sized = sizeStakes(candidates.map((c) => ({ probability: c.value.probability, price: c.value.price })), bankroll, riskLevel, policy);
    let settled = bankroll;
    candidates.forEach((c, k) => {
      const stakeMinor = sized.stakes[k]!.stakeMinor;
      if (stakeMinor <= 0) return;
      const m = matches[c.index]!;
      const result: OneXTwoSelection = m.homeGoals > m.awayGoals ? 'home' : m.homeGoals === m.awayGoals ? 'draw' : 'away';
      const won = result === c.value.selection;
      const returnMinor = betReturnMinor(won ? 'won' : 'lost', stakeMinor, c.value.price);
      settled += returnMinor - stakeMinor;
      betList.push({
        matchId: m.matchId,
        competition: m.competition,
        season: m.season,
        kickoffAtMs: m.kickoffAtMs,
        fixture: `${m.homeTeam} v ${m.awayTeam}`,
        selection: c.value.selection,
        probability: c.value.probability,
        price: c.value.price,
        bookmaker: c.value.bookmaker,
        edge: c.value.edge,
        stakeFraction: sized.stakes[k]!.stakeFraction,
        stakeMinor,
        returnMinor,
        won,
        closingPrice: closingPriceOf(m.closingOdds, c.value.selection),
      });
    });
    bankroll = settled;
    peak = Math.max(peak, bankroll);
    if (peak > 0) maxDrawdown = Math.max(maxDrawdown, (peak - bankroll) / peak);
    curve.push([day, bankroll]);
  }

  const withClosing = betList.filter((b) => b.closingPrice !== null);
  const closingLine =
    withClosing.length === 0
      ? null
      : {
          bets: withClosing.length,
          meanClv: withClosing.reduce((s, b) => s + b.price / b.closingPrice! - 1, 0) / withClosing.length,
          beatClosingShare: withClosing.filter((b) => b.price > b.closingPrice!).length / withClosing.length,
        };

  const seasons = new Map<string, BacktestBet[]>();
  for (const b of betList) {
    const key = `${b.competition}\u0000${b.season}`;
    let list = seasons.get(key);
    if (!list) seasons.set(key, (list = []));
    list.push(b);
  }
  const bySeason = [...seasons].map(([key, bets]) => {
    const [competition, season] = key.split('\u0000') as [string, string];
    return { competition, season, ...totals(bets) };
  });

  const all = totals(betList);
  return {
    ...all,
    matchesConsidered,
    startingBankrollMinor,
    finalBankrollMinor: bankroll,
    roi: (bankroll - startingBankrollMinor) / startingBankrollMinor,
    maxDrawdown,
    bankrollCurve: curve,
    closingLine,
    bySeason,
    betList,
  };
}
