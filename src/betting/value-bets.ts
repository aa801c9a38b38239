import type { OneXTwoPrices, OneXTwoProbabilities } from '../football/football-match.js';

export const ONE_X_TWO_SELECTIONS = ['home', 'draw', 'away'] as const;
export type OneXTwoSelection = (typeof ONE_X_TWO_SELECTIONS)[number];

/** The best price on offer for one selection and the edge it gives against the model. */
export interface ValueSelection {
  readonly selection: OneXTwoSelection;
  readonly probability: number;
  readonly price: number;
  readonly bookmaker: string;
  /** probability × price − 1. */
  readonly edge: number;
}

/**
 * The value bet of one fixture: for each 1X2 selection the best price across bookmakers, keeping the
 * selection with the largest edge when it is at least `minEdge`. One bet per match at most: the three
 * outcomes exclude each other, and sizing them as independent Kelly bets would over-stake the match.
 */
export function bestValueSelection(
  probabilities: OneXTwoProbabilities,
  booksBySlug: Readonly<Record<string, OneXTwoPrices>>,
  minEdge: number,
): ValueSelection | undefined {
  let best: ValueSelection | undefined;
  for (const selection of ONE_X_TWO_SELECTIONS) {
    let price = 0;
    let bookmaker = '';
    // Sorted slugs: ties go to the same bookmaker every time.
    for (const slug of Object.keys(booksBySlug).sort()) {
      const offered = booksBySlug[slug]![selection];
      if (offered > price) {
        price = offered;
        bookmaker = slug;
      }
    }
    if (!(price > 1)) continue;
    const probability = probabilities[selection];
    const edge = probability * price - 1;
    if (edge >= minEdge && (best === undefined || edge > best.edge)) best = { selection, probability, price, bookmaker, edge };
  }
  return best;
}
