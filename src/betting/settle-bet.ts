/** Markets a bet can be recorded on. */
export const BET_MARKETS = ['1x2', 'ou', 'ah', 'btts'] as const;
export type BetMarket = (typeof BET_MARKETS)[number];

/** Selections valid for each market. */
export const BET_SELECTIONS: Readonly<Record<BetMarket, readonly string[]>> = Object.freeze({
  '1x2': ['home', 'draw', 'away'],
  ou: ['over', 'under'],
  ah: ['home', 'away'],
  btts: ['yes', 'no'],
});

export const BET_OUTCOMES = ['won', 'half-won', 'push', 'half-lost', 'lost'] as const;
export type BetOutcome = (typeof BET_OUTCOMES)[number];

/** What a bet is on: for `ou` the total-goals line, for `ah` the home team's handicap (away gets −line). */
export interface BetTerms {
  readonly market: BetMarket;
  readonly selection: string;
  readonly line: number;
}

/** +1 win, 0 push, −1 loss of one half-line. */
function sign(x: number): number {
  return x > 0 ? 1 : x < 0 ? -1 : 0;
}

/**
 * How a bet settles on a final score. Quarter lines (2.25, −0.75) split the stake over the two
 * neighbouring lines, which is where half-won and half-lost come from.
 */
export function settleBet(terms: BetTerms, homeGoals: number, awayGoals: number): BetOutcome {
  const { market, selection, line } = terms;
  if (market === '1x2') {
    const result = homeGoals > awayGoals ? 'home' : homeGoals === awayGoals ? 'draw' : 'away';
    return result === selection ? 'won' : 'lost';
  }
  if (market === 'btts') {
    const both = homeGoals > 0 && awayGoals > 0;
    return (selection === 'yes') === both ? 'won' : 'lost';
  }
  // margin(l) > 0 means the selection beats line l.
  const margin =
    market === 'ou'
      ? (l: number) => (selection === 'over' ? homeGoals + awayGoals - l : l - (homeGoals + awayGoals))
      : (l: number) => (selection === 'home' ? homeGoals - awayGoals + l : awayGoals - homeGoals - l);
  const score = sign(margin(line - 0.25 * (Number.isInteger(line * 2) ? 0 : 1))) + sign(margin(line + 0.25 * (Number.isInteger(line * 2) ? 0 : 1)));
  return score === 2 ? 'won' : score === 1 ? 'half-won' : score === 0 ? 'push' : score === -1 ? 'half-lost' : 'lost';
}

/**
 * What comes back for a stake (stake included), in exact minor units: a win pays stake × price,
 * a half win half of that plus half the stake, a push the stake, a half loss half the stake.
 * Prices are taken to 1e-6 and the result is rounded down, as bookmakers do.
 */
export function betReturnMinor(outcome: BetOutcome, stakeMinor: number, price: number): number {
  const stake = BigInt(stakeMinor);
  const priceMicro = BigInt(Math.round(price * 1_000_000));
  const million = 1_000_000n;
  switch (outcome) {
    case 'won':
      return Number((stake * priceMicro) / million);
    case 'half-won':
      return Number((stake * (priceMicro + million)) / (2n * million));
    case 'push':
      return stakeMinor;
    case 'half-lost':
      return Number(stake / 2n);
    case 'lost':
      return 0;
  }
}
