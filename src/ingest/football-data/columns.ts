import type { MatchStat } from '../../football/match-record.js';
import type { Market, PricePhase, Selection } from '../../football/markets.js';

/** football-data columns that describe the match itself rather than a statistic or a price. */
export const BASE_FIELDS = [
  'div',
  'date',
  'time',
  'homeTeam',
  'awayTeam',
  'ftHome',
  'ftAway',
  'ftResult',
  'htHome',
  'htAway',
  'htResult',
  'referee',
  'attendance',
] as const;
/** One of BASE_FIELDS. */
export type BaseField = (typeof BASE_FIELDS)[number];

/** Where an Asian-handicap line column comes from, most specific first. */
export const AH_LINE_SOURCES = ['bookmaker', 'betbrain', 'market'] as const;
/** One of AH_LINE_SOURCES. */
export type AhLineSource = (typeof AH_LINE_SOURCES)[number];

/** What one header name means. */
export type ColumnSpec =
  | { readonly kind: 'base'; readonly field: BaseField }
  | { readonly kind: 'stat'; readonly side: 'home' | 'away'; readonly stat: MatchStat }
  | {
      readonly kind: 'price';
      readonly bookmaker: string;
      readonly market: Market;
      readonly selection: Selection;
      readonly phase: PricePhase;
      /** 0 for 1x2, the goals line for ou; NaN for ah, whose line sits in another column. */
      readonly line: number;
    }
  | {
      readonly kind: 'ah-line';
      readonly source: AhLineSource;
      /** The bookmaker whose prices it applies to (source `bookmaker`), else null. */
      readonly bookmaker: string | null;
      readonly phase: PricePhase;
    }
  /** Betbrain's count of bookmakers behind its averages (Bb1X2, BbOU, BbAH): not a price, not a line. */
  | { readonly kind: 'bookmaker-count' }
  /** An empty header name, as in the trailing `,,,` of some files. */
  | { readonly kind: 'blank' }
  | { readonly kind: 'unknown' };

/** A price column with the column holding its line resolved for this header. */
export interface PriceColumn {
  readonly index: number;
  readonly name: string;
  readonly bookmaker: string;
  readonly market: Market;
  readonly selection: Selection;
  readonly phase: PricePhase;
  /** The line for 1x2/ou; NaN for ah (read per row from `lineIndex`). */
  readonly line: number;
  /** For ah: the column index of its handicap line, or -1 when the header has none. Otherwise -1. */
  readonly lineIndex: number;
}

/** A statistic column and the side it belongs to. */
export interface StatColumn {
  readonly index: number;
  readonly name: string;
  readonly side: 'home' | 'away';
  readonly stat: MatchStat;
}

/** A header name that appears more than once; only its first column is read. */
export interface DuplicateColumn {
  readonly index: number;
  readonly name: string;
}

/** A whole header classified once, so each row is read with plain index loops. */
export interface FootballDataColumns {
  /** Header names, trimmed. */
  readonly names: readonly string[];
  readonly specs: readonly ColumnSpec[];
  /** Column index of each base field, or -1 when the file has no such column. */
  readonly base: Readonly<Record<BaseField, number>>;
  readonly stats: readonly StatColumn[];
  readonly prices: readonly PriceColumn[];
  /** Indexes of every handicap-line column any ah price refers to. */
  readonly ahLineIndexes: readonly number[];
  /** Non-empty header names this parser does not understand, once each, in header order. */
  readonly ignored: readonly string[];
  readonly duplicates: readonly DuplicateColumn[];
  /** Names of ah price columns with no line column anywhere in the header. */
  readonly unlinedAhPrices: readonly string[];
}

// Bookmaker codes as football-data writes them. Several codes prefix others (BF/BFE, P/PS),
// so classification tries the longest code first and falls back to shorter ones.
const BOOKMAKER_CODES: ReadonlyArray<readonly [code: string, slug: string]> = [
  ['B365', 'bet365'],
  ['BS', 'blue-square'],
  ['BW', 'bwin'],
  ['GB', 'gamebookers'],
  ['IW', 'interwetten'],
  ['LB', 'ladbrokes'],
  // Pinnacle is `PS` in 1x2 columns and plain `P` in over/under and handicap columns.
  ['PS', 'pinnacle'],
  ['P', 'pinnacle'],
  ['SO', 'sporting-odds'],
  ['SB', 'sportingbet'],
  ['SJ', 'stan-james'],
  ['SY', 'stanleybet'],
  ['VC', 'vc-bet'],
  ['WH', 'william-hill'],
  ['BF', 'betfair'],
  ['BFE', 'betfair-exchange'],
  ['1XB', '1xbet'],
  ['BbMx', 'betbrain-max'],
  ['BbAv', 'betbrain-avg'],
  ['Max', 'market-max'],
  ['Avg', 'market-avg'],
];
const CODES_LONGEST_FIRST = [...BOOKMAKER_CODES].sort((a, b) => b[0].length - a[0].length);

type FixedSuffix =
  | { readonly kind: 'price'; readonly market: Market; readonly selection: Selection; readonly phase: PricePhase }
  | { readonly kind: 'ah-line' };

// What follows the bookmaker code, for every suffix that is not an over/under line.
const FIXED_SUFFIXES: ReadonlyMap<string, FixedSuffix> = new Map<string, FixedSuffix>([
  ['H', { kind: 'price', market: '1x2', selection: 'home', phase: 'pre' }],
  ['D', { kind: 'price', market: '1x2', selection: 'draw', phase: 'pre' }],
  ['A', { kind: 'price', market: '1x2', selection: 'away', phase: 'pre' }],
  ['CH', { kind: 'price', market: '1x2', selection: 'home', phase: 'close' }],
  ['CD', { kind: 'price', market: '1x2', selection: 'draw', phase: 'close' }],
  ['CA', { kind: 'price', market: '1x2', selection: 'away', phase: 'close' }],
  ['AHH', { kind: 'price', market: 'ah', selection: 'home', phase: 'pre' }],
  ['AHA', { kind: 'price', market: 'ah', selection: 'away', phase: 'pre' }],
  ['CAHH', { kind: 'price', market: 'ah', selection: 'home', phase: 'close' }],
  ['CAHA', { kind: 'price', market: 'ah', selection: 'away', phase: 'close' }],
  // Old files (B365AH, GBAH, LBAH): "size of handicap (home team)" for that bookmaker.
  ['AH', { kind: 'ah-line' }],
]);

const BASE_NAMES: ReadonlyMap<string, BaseField> = new Map<string, BaseField>([
  ['Div', 'div'],
  ['Date', 'date'],
  ['Time', 'time'],
  ['HomeTeam', 'homeTeam'],
  ['AwayTeam', 'awayTeam'],
  ['FTHG', 'ftHome'],
  ['FTAG', 'ftAway'],
  ['FTR', 'ftResult'],
  ['HTHG', 'htHome'],
  ['HTAG', 'htAway'],
  ['HTR', 'htResult'],
  ['Referee', 'referee'],
  ['Attendance', 'attendance'],
]);

const STAT_CODES: ReadonlyArray<readonly [homeName: string, awayName: string, stat: MatchStat]> = [
  ['HS', 'AS', 'shots'],
  ['HST', 'AST', 'shotsOnTarget'],
  ['HHW', 'AHW', 'woodwork'],
  ['HC', 'AC', 'corners'],
  ['HF', 'AF', 'fouls'],
  ['HFKC', 'AFKC', 'freeKicksConceded'],
  ['HO', 'AO', 'offsides'],
  ['HY', 'AY', 'yellowCards'],
  ['HR', 'AR', 'redCards'],
  ['HBP', 'ABP', 'bookingPoints'],
];

// Names whose meaning does not follow the {code}{suffix} grammar.
const SPECIAL_NAMES: ReadonlyMap<string, ColumnSpec> = new Map<string, ColumnSpec>([
  ['Bb1X2', { kind: 'bookmaker-count' }],
  ['BbOU', { kind: 'bookmaker-count' }],
  ['BbAH', { kind: 'bookmaker-count' }],
  ['BbAHh', { kind: 'ah-line', source: 'betbrain', bookmaker: null, phase: 'pre' }],
  ['AHh', { kind: 'ah-line', source: 'market', bookmaker: null, phase: 'pre' }],
  ['AHCh', { kind: 'ah-line', source: 'market', bookmaker: null, phase: 'close' }],
]);

const KNOWN_NAMES: ReadonlyMap<string, ColumnSpec> = (() => {
  const known = new Map<string, ColumnSpec>(SPECIAL_NAMES);
  for (const [name, field] of BASE_NAMES) known.set(name, { kind: 'base', field });
  for (const [homeName, awayName, stat] of STAT_CODES) {
    known.set(homeName, { kind: 'stat', side: 'home', stat });
    known.set(awayName, { kind: 'stat', side: 'away', stat });
  }
  return known;
})();

const UNKNOWN: ColumnSpec = { kind: 'unknown' };
const BLANK: ColumnSpec = { kind: 'blank' };

/** Parses `>2.5` / `<1.5` style over/under suffixes; null when `rest` is not one. */
function overUnderSuffix(rest: string, phase: PricePhase, slug: string): ColumnSpec | null {
  const sign = rest.charAt(0);
  if (sign !== '>' && sign !== '<') return null;
  const lineText = rest.slice(1);
  const line = Number(lineText);
  if (lineText === '' || !Number.isFinite(line) || line <= 0) return null;
  return { kind: 'price', bookmaker: slug, market: 'ou', selection: sign === '>' ? 'over' : 'under', phase, line };
}

function bookmakerSuffix(rest: string, slug: string): ColumnSpec | null {
  const fixed = FIXED_SUFFIXES.get(rest);
  if (fixed !== undefined) {
    if (fixed.kind === 'ah-line') return { kind: 'ah-line', source: 'bookmaker', bookmaker: slug, phase: 'pre' };
    const line = fixed.market === '1x2' ? 0 : Number.NaN;
    return { kind: 'price', bookmaker: slug, market: fixed.market, selection: fixed.selection, phase: fixed.phase, line };
  }
  if (rest.charAt(0) === 'C') return overUnderSuffix(rest.slice(1), 'close', slug);
  return overUnderSuffix(rest, 'pre', slug);
}

/** Classifies one football-data header name (already trimmed). */
export function classifyColumn(name: string): ColumnSpec {
  if (name === '') return BLANK;
  const known = KNOWN_NAMES.get(name);
  if (known !== undefined) return known;
  for (const [code, slug] of CODES_LONGEST_FIRST) {
    if (!name.startsWith(code)) continue;
    const spec = bookmakerSuffix(name.slice(code.length), slug);
    if (spec !== null) return spec;
  }
  return UNKNOWN;
}

function emptyBaseIndexes(): Record<BaseField, number> {
  const base = {} as Record<BaseField, number>;
  for (const field of BASE_FIELDS) base[field] = -1;
  return base;
}

/**
 * Classifies a whole football-data header by name (never by position) and links each
 * Asian-handicap price to the column holding its line.
 */
export function classifyColumns(header: readonly string[]): FootballDataColumns {
  const names = header.map((name) => name.trim());
  const specs: ColumnSpec[] = [];
  const base = emptyBaseIndexes();
  const stats: StatColumn[] = [];
  const ignored: string[] = [];
  const duplicates: DuplicateColumn[] = [];
  const seen = new Set<string>();
  const bookmakerLines = new Map<string, number>();
  let betbrainLine = -1;
  let marketPreLine = -1;
  let marketCloseLine = -1;

  for (let index = 0; index < names.length; index++) {
    const name = names[index]!;
    if (name !== '' && seen.has(name)) {
      duplicates.push({ index, name });
      specs.push(UNKNOWN);
      continue;
    }
    seen.add(name);
    const spec = classifyColumn(name);
    specs.push(spec);
    if (spec.kind === 'base') base[spec.field] = index;
    else if (spec.kind === 'stat') stats.push({ index, name, side: spec.side, stat: spec.stat });
    else if (spec.kind === 'unknown') ignored.push(name);
    else if (spec.kind === 'ah-line') {
      if (spec.source === 'bookmaker' && spec.bookmaker !== null) bookmakerLines.set(spec.bookmaker, index);
      else if (spec.source === 'betbrain') betbrainLine = index;
      else if (spec.phase === 'pre') marketPreLine = index;
      else marketCloseLine = index;
    }
  }

  const prices: PriceColumn[] = [];
  const unlinedAhPrices: string[] = [];
  const ahLineIndexes = new Set<number>();
  for (let index = 0; index < specs.length; index++) {
    const spec = specs[index]!;
    if (spec.kind !== 'price') continue;
    let lineIndex = -1;
    if (spec.market === 'ah') {
      // A closing price needs the closing line (AHCh): the pre-match line often moves by kick-off,
      // so falling back to it would silently attach closing prices to the wrong handicap.
      lineIndex =
        spec.phase === 'close'
          ? marketCloseLine
          : (bookmakerLines.get(spec.bookmaker) ?? (betbrainLine >= 0 ? betbrainLine : marketPreLine));
      if (lineIndex >= 0) ahLineIndexes.add(lineIndex);
      else unlinedAhPrices.push(names[index]!);
    }
    prices.push({
      index,
      name: names[index]!,
      bookmaker: spec.bookmaker,
      market: spec.market,
      selection: spec.selection,
      phase: spec.phase,
      line: spec.line,
      lineIndex,
    });
  }

  return {
    names,
    specs,
    base,
    stats,
    prices,
    ahLineIndexes: [...ahLineIndexes].sort((a, b) => a - b),
    ignored,
    duplicates,
    unlinedAhPrices,
  };
}
