import { describe, it, expect } from 'vitest';
import { findBookmaker } from '../../football/bookmakers.js';
import { classifyColumn, classifyColumns, type ColumnSpec } from './columns.js';

function price(bookmaker: string, market: string, selection: string, phase: string, line: number): ColumnSpec {
  return { kind: 'price', bookmaker, market, selection, phase, line } as ColumnSpec;
}

describe('classifyColumn', () => {
  it.each([
    ['B365H', price('bet365', '1x2', 'home', 'pre', 0)],
    ['BWD', price('bwin', '1x2', 'draw', 'pre', 0)],
    ['GBA', price('gamebookers', '1x2', 'away', 'pre', 0)],
    ['PSH', price('pinnacle', '1x2', 'home', 'pre', 0)],
    ['PSCA', price('pinnacle', '1x2', 'away', 'close', 0)],
    ['B365CH', price('bet365', '1x2', 'home', 'close', 0)],
    ['MaxCH', price('market-max', '1x2', 'home', 'close', 0)],
    ['AvgD', price('market-avg', '1x2', 'draw', 'pre', 0)],
    ['BbMxH', price('betbrain-max', '1x2', 'home', 'pre', 0)],
    ['BbAvA', price('betbrain-avg', '1x2', 'away', 'pre', 0)],
    ['BSH', price('blue-square', '1x2', 'home', 'pre', 0)],
    ['SOD', price('sporting-odds', '1x2', 'draw', 'pre', 0)],
    ['SBH', price('sportingbet', '1x2', 'home', 'pre', 0)],
    ['SJA', price('stan-james', '1x2', 'away', 'pre', 0)],
    ['SYH', price('stanleybet', '1x2', 'home', 'pre', 0)],
    ['VCCD', price('vc-bet', '1x2', 'draw', 'close', 0)],
    ['WHCH', price('william-hill', '1x2', 'home', 'close', 0)],
    ['IWA', price('interwetten', '1x2', 'away', 'pre', 0)],
    ['LBH', price('ladbrokes', '1x2', 'home', 'pre', 0)],
    // 2024/25 additions: BF and BFE share a prefix, so the longer code must win.
    ['BFH', price('betfair', '1x2', 'home', 'pre', 0)],
    ['BFCA', price('betfair', '1x2', 'away', 'close', 0)],
    ['BFEH', price('betfair-exchange', '1x2', 'home', 'pre', 0)],
    ['BFECH', price('betfair-exchange', '1x2', 'home', 'close', 0)],
    ['1XBH', price('1xbet', '1x2', 'home', 'pre', 0)],
    ['1XBCH', price('1xbet', '1x2', 'home', 'close', 0)],
    ['B365>2.5', price('bet365', 'ou', 'over', 'pre', 2.5)],
    ['B365<2.5', price('bet365', 'ou', 'under', 'pre', 2.5)],
    ['P>2.5', price('pinnacle', 'ou', 'over', 'pre', 2.5)],
    ['PC<2.5', price('pinnacle', 'ou', 'under', 'close', 2.5)],
    ['B365C>2.5', price('bet365', 'ou', 'over', 'close', 2.5)],
    ['BbMx>2.5', price('betbrain-max', 'ou', 'over', 'pre', 2.5)],
    ['GB<1.5', price('gamebookers', 'ou', 'under', 'pre', 1.5)],
    ['BFE>2.5', price('betfair-exchange', 'ou', 'over', 'pre', 2.5)],
    ['1XBC<3.5', price('1xbet', 'ou', 'under', 'close', 3.5)],
    ['B365AHH', price('bet365', 'ah', 'home', 'pre', Number.NaN)],
    ['PAHA', price('pinnacle', 'ah', 'away', 'pre', Number.NaN)],
    ['PCAHH', price('pinnacle', 'ah', 'home', 'close', Number.NaN)],
    ['AvgCAHA', price('market-avg', 'ah', 'away', 'close', Number.NaN)],
    ['BbMxAHH', price('betbrain-max', 'ah', 'home', 'pre', Number.NaN)],
    ['BFEAHH', price('betfair-exchange', 'ah', 'home', 'pre', Number.NaN)],
    ['BFECAHA', price('betfair-exchange', 'ah', 'away', 'close', Number.NaN)],
  ])('reads %s as a price', (name, expected) => {
    expect(classifyColumn(name)).toEqual(expected);
  });

  it('maps every price column to a bookmaker in the catalogue', () => {
    const names = ['B365H', 'BSH', 'BWH', 'GBH', 'IWH', 'LBH', 'PSH', 'P>2.5', 'SOH', 'SBH', 'SJH', 'SYH', 'VCH', 'WHH'];
    names.push('BFH', 'BFEH', '1XBH', 'BbMxH', 'BbAvH', 'MaxH', 'AvgH');
    for (const name of names) {
      const spec = classifyColumn(name);
      expect(spec.kind, name).toBe('price');
      if (spec.kind === 'price') expect(findBookmaker(spec.bookmaker), name).toBeDefined();
    }
  });

  it('tells handicap lines from handicap prices and bookmaker counts', () => {
    expect(classifyColumn('BbAHh')).toEqual({ kind: 'ah-line', source: 'betbrain', bookmaker: null, phase: 'pre' });
    expect(classifyColumn('AHh')).toEqual({ kind: 'ah-line', source: 'market', bookmaker: null, phase: 'pre' });
    expect(classifyColumn('AHCh')).toEqual({ kind: 'ah-line', source: 'market', bookmaker: null, phase: 'close' });
    expect(classifyColumn('B365AH')).toEqual({ kind: 'ah-line', source: 'bookmaker', bookmaker: 'bet365', phase: 'pre' });
    expect(classifyColumn('GBAH')).toEqual({ kind: 'ah-line', source: 'bookmaker', bookmaker: 'gamebookers', phase: 'pre' });
    expect(classifyColumn('BbAH')).toEqual({ kind: 'bookmaker-count' });
    expect(classifyColumn('Bb1X2')).toEqual({ kind: 'bookmaker-count' });
    expect(classifyColumn('BbOU')).toEqual({ kind: 'bookmaker-count' });
  });

  it('reads base and statistic columns, including the away woodwork column AHW', () => {
    expect(classifyColumn('HomeTeam')).toEqual({ kind: 'base', field: 'homeTeam' });
    expect(classifyColumn('Attendance')).toEqual({ kind: 'base', field: 'attendance' });
    expect(classifyColumn('AHW')).toEqual({ kind: 'stat', side: 'away', stat: 'woodwork' });
    expect(classifyColumn('HFKC')).toEqual({ kind: 'stat', side: 'home', stat: 'freeKicksConceded' });
    expect(classifyColumn('ABP')).toEqual({ kind: 'stat', side: 'away', stat: 'bookingPoints' });
    expect(classifyColumn('AS')).toEqual({ kind: 'stat', side: 'away', stat: 'shots' });
  });

  it('leaves unrecognised names as unknown and empty names as blank', () => {
    expect(classifyColumn('')).toEqual({ kind: 'blank' });
    for (const name of ['LBAHX', 'B365X', 'B365>', 'B365>abc', 'XYZH', 'hometeam', 'Home']) {
      expect(classifyColumn(name), name).toEqual({ kind: 'unknown' });
    }
  });
});

describe('classifyColumns', () => {
  it('links each Asian-handicap price to its line: pre to AHh, closing to AHCh', () => {
    const columns = classifyColumns(['Div', 'Date', 'AHh', 'B365AHH', 'PAHA', 'AHCh', 'B365CAHH', 'MaxCAHA']);
    const lineOf = (name: string): string | undefined => {
      const column = columns.prices.find((p) => p.name === name);
      return column === undefined ? undefined : columns.names[column.lineIndex];
    };
    expect(lineOf('B365AHH')).toBe('AHh');
    expect(lineOf('PAHA')).toBe('AHh');
    expect(lineOf('B365CAHH')).toBe('AHCh');
    expect(lineOf('MaxCAHA')).toBe('AHCh');
    expect(columns.unlinedAhPrices).toEqual([]);
  });

  it('prefers a bookmaker’s own line column, then BbAHh', () => {
    const columns = classifyColumns(['B365AHH', 'B365AH', 'GBAHA', 'BbAHh', 'BbMxAHH', 'BbAH']);
    const lineOf = (name: string): string | undefined =>
      columns.names[columns.prices.find((p) => p.name === name)?.lineIndex ?? -1];
    expect(lineOf('B365AHH')).toBe('B365AH');
    expect(lineOf('GBAHA')).toBe('BbAHh');
    expect(lineOf('BbMxAHH')).toBe('BbAHh');
    expect(columns.ahLineIndexes).toEqual([1, 3]);
    expect(columns.ignored).toEqual([]);
  });

  it('never gives a closing handicap price the pre-match line', () => {
    const columns = classifyColumns(['AHh', 'B365CAHH', 'B365AHH']);
    expect(columns.unlinedAhPrices).toEqual(['B365CAHH']);
    expect(columns.prices.find((p) => p.name === 'B365CAHH')?.lineIndex).toBe(-1);
  });

  it('ignores blank header names silently and lists unknown ones once', () => {
    const columns = classifyColumns(['Div', 'Date', ' HomeTeam ', 'Foo', '', '', 'Bar']);
    expect(columns.base.homeTeam).toBe(2);
    expect(columns.names[2]).toBe('HomeTeam');
    expect(columns.ignored).toEqual(['Foo', 'Bar']);
  });

  it('reads the first of two same-named columns and reports the second', () => {
    const columns = classifyColumns(['Div', 'B365H', 'B365H']);
    expect(columns.prices.map((p) => p.index)).toEqual([1]);
    expect(columns.duplicates).toEqual([{ index: 2, name: 'B365H' }]);
  });
});
