/** Kinds of price source: a real bookmaker, a betting exchange, or an aggregate over many bookmakers. */
export const BOOKMAKER_KINDS = ['bookmaker', 'exchange', 'aggregate'] as const;
export type BookmakerKind = (typeof BOOKMAKER_KINDS)[number];

export interface BookmakerInfo {
  readonly slug: string;
  readonly name: string;
  readonly kind: BookmakerKind;
}

function bookmaker(slug: string, name: string, kind: BookmakerKind = 'bookmaker'): BookmakerInfo {
  return Object.freeze({ slug, name, kind });
}

/** Every price source Tipster knows by slug. Aggregates are never a place to bet, only a reference. */
export const BOOKMAKERS: readonly BookmakerInfo[] = Object.freeze([
  bookmaker('bet365', 'Bet365'),
  bookmaker('blue-square', 'Blue Square'),
  bookmaker('bwin', 'Bet&Win (bwin)'),
  bookmaker('gamebookers', 'Gamebookers'),
  bookmaker('interwetten', 'Interwetten'),
  bookmaker('ladbrokes', 'Ladbrokes'),
  bookmaker('pinnacle', 'Pinnacle'),
  bookmaker('sporting-odds', 'Sporting Odds'),
  bookmaker('sportingbet', 'Sportingbet'),
  bookmaker('stan-james', 'Stan James'),
  bookmaker('stanleybet', 'Stanleybet'),
  bookmaker('vc-bet', 'VC Bet'),
  bookmaker('william-hill', 'William Hill'),
  bookmaker('betfair', 'Betfair Sportsbook'),
  bookmaker('betfair-exchange', 'Betfair Exchange', 'exchange'),
  bookmaker('1xbet', '1xBet'),
  bookmaker('betbrain-max', 'Betbrain maximum', 'aggregate'),
  bookmaker('betbrain-avg', 'Betbrain average', 'aggregate'),
  bookmaker('market-max', 'Market maximum', 'aggregate'),
  bookmaker('market-avg', 'Market average', 'aggregate'),
]);

const bySlug: ReadonlyMap<string, BookmakerInfo> = new Map(BOOKMAKERS.map((b) => [b.slug, b]));

/** The catalogue entry for a slug, or undefined for an unknown one. */
export function findBookmaker(slug: string): BookmakerInfo | undefined {
  return bySlug.get(slug);
}
