/** Betting markets Tipster stores prices for, and their selections. */
export const MARKETS = ['1x2', 'ou', 'ah'] as const;
/** 1x2 = match result; ou = total goals over/under a line; ah = Asian handicap on the home team's line. */
export type Market = (typeof MARKETS)[number];

export const SELECTIONS = ['home', 'draw', 'away', 'over', 'under'] as const;
export type Selection = (typeof SELECTIONS)[number];

/** `pre` = the pre-match price as collected by the source; `close` = the closing price at kick-off. */
export const PRICE_PHASES = ['pre', 'close'] as const;
export type PricePhase = (typeof PRICE_PHASES)[number];

const marketSet: ReadonlySet<string> = new Set(MARKETS);
const selectionSet: ReadonlySet<string> = new Set(SELECTIONS);
const phaseSet: ReadonlySet<string> = new Set(PRICE_PHASES);

/** True when `value` is one of MARKETS. */
export function isMarket(value: string): value is Market {
  return marketSet.has(value);
}

/** True when `value` is one of SELECTIONS. */
export function isSelection(value: string): value is Selection {
  return selectionSet.has(value);
}

/** True when `value` is one of PRICE_PHASES. */
export function isPricePhase(value: string): value is PricePhase {
  return phaseSet.has(value);
}

/** Selections valid for each market. */
export const MARKET_SELECTIONS: Readonly<Record<Market, readonly Selection[]>> = Object.freeze({
  '1x2': ['home', 'draw', 'away'],
  ou: ['over', 'under'],
  ah: ['home', 'away'],
});
