import { describe, it, expect } from 'vitest';
import type { IngestIssue } from '../ingest-issue.js';
import { parseFootballData, type ParseFootballDataOptions } from './parse-football-data.js';

const HEADER = [
  'Div', 'Date', 'Time', 'HomeTeam', 'AwayTeam', 'FTHG', 'FTAG', 'FTR', 'HTHG', 'HTAG', 'HTR', 'Referee',
  'HS', 'AS', 'HY', 'AY', 'B365H', 'B365D', 'B365A', 'PSCH', 'PSCD', 'PSCA', 'B365>2.5', 'B365<2.5',
  'AHh', 'B365AHH', 'B365AHA',
];
// The first row of the real E0/2223.csv, cut down to HEADER's columns.
const BASE_ROW: Readonly<Record<string, string>> = {
  Div: 'E0', Date: '05/08/2022', Time: '20:00', HomeTeam: 'Crystal Palace', AwayTeam: 'Arsenal',
  FTHG: '0', FTAG: '2', FTR: 'A', HTHG: '0', HTAG: '1', HTR: 'A', Referee: 'A Taylor',
  HS: '10', AS: '10', HY: '1', AY: '2', B365H: '4.2', B365D: '3.6', B365A: '1.85',
  PSCH: '4.58', PSCD: '3.63', PSCA: '1.88', 'B365>2.5': '2.1', 'B365<2.5': '1.72',
  AHh: '0.5', B365AHH: '2.04', B365AHA: '1.89',
};

/** One CSV line with HEADER's columns: BASE_ROW with some cells replaced. */
function row(overrides: Readonly<Record<string, string>> = {}, header: readonly string[] = HEADER): string {
  return header.map((name) => overrides[name] ?? BASE_ROW[name] ?? '').join(',');
}

function csv(lines: readonly string[], eol = '\n'): Uint8Array {
  return new TextEncoder().encode(lines.join(eol) + eol);
}

const E0_2223: ParseFootballDataOptions = { file: 'E0/2223.csv', seasonCode: '2223', competitionCode: 'E0' };

function read(lines: readonly string[], options: ParseFootballDataOptions = E0_2223) {
  return parseFootballData(csv(lines), options);
}

function errors(issues: readonly IngestIssue[]): IngestIssue[] {
  return issues.filter((issue) => issue.severity === 'error');
}

function warnings(issues: readonly IngestIssue[]): IngestIssue[] {
  return issues.filter((issue) => issue.severity === 'warning');
}

/** Parses HEADER + a good row + the given row, and returns the single issue the bad row raised. */
function onlyIssue(overrides: Readonly<Record<string, string>>): IngestIssue {
  const result = read([HEADER.join(','), row({ HomeTeam: 'Fulham', AwayTeam: 'Liverpool' }), row(overrides)]);
  expect(result.issues).toHaveLength(1);
  expect(result.issues[0]).toMatchObject({ file: 'E0/2223.csv', line: 3 });
  return result.issues[0]!;
}

describe('parseFootballData: a good row', () => {
  it('reads teams, score, kick-off, stats and every price', () => {
    const result = read([HEADER.join(','), row()]);
    expect(result.issues).toEqual([]);
    expect(result.dataRows).toBe(1);
    expect(result.records).toHaveLength(1);
    const record = result.records[0]!;
    expect(record).toMatchObject({
      competitionCode: 'E0',
      seasonCode: '2223',
      homeTeam: 'Crystal Palace',
      awayTeam: 'Arsenal',
      kickoffDate: '2022-08-05',
      kickoffTime: '20:00',
      kickoffAtMs: Date.UTC(2022, 7, 5, 19, 0),
      result: { ftHome: 0, ftAway: 2, htHome: 0, htAway: 1 },
      referee: 'A Taylor',
      attendance: null,
      sourceLine: 2,
    });
    expect(record.homeStats).toMatchObject({ shots: 10, yellowCards: 1, corners: null });
    expect(record.awayStats).toMatchObject({ shots: 10, yellowCards: 2, redCards: null });
    expect(record.odds).toEqual([
      { bookmaker: 'bet365', market: '1x2', line: 0, selection: 'home', phase: 'pre', price: 4.2 },
      { bookmaker: 'bet365', market: '1x2', line: 0, selection: 'draw', phase: 'pre', price: 3.6 },
      { bookmaker: 'bet365', market: '1x2', line: 0, selection: 'away', phase: 'pre', price: 1.85 },
      { bookmaker: 'pinnacle', market: '1x2', line: 0, selection: 'home', phase: 'close', price: 4.58 },
      { bookmaker: 'pinnacle', market: '1x2', line: 0, selection: 'draw', phase: 'close', price: 3.63 },
      { bookmaker: 'pinnacle', market: '1x2', line: 0, selection: 'away', phase: 'close', price: 1.88 },
      { bookmaker: 'bet365', market: 'ou', line: 2.5, selection: 'over', phase: 'pre', price: 2.1 },
      { bookmaker: 'bet365', market: 'ou', line: 2.5, selection: 'under', phase: 'pre', price: 1.72 },
      { bookmaker: 'bet365', market: 'ah', line: 0.5, selection: 'home', phase: 'pre', price: 2.04 },
      { bookmaker: 'bet365', market: 'ah', line: 0.5, selection: 'away', phase: 'pre', price: 1.89 },
    ]);
  });

  it('accepts pandas-style numbers (10.0, -1.0), spaces around cells and CRLF line endings', () => {
    const result = parseFootballData(
      csv([HEADER.join(','), row({ FTHG: ' 3 ', FTR: 'H', HS: '12.0', B365H: '10.0', B365D: ' 5.5 ', AHh: '-1.0', HomeTeam: ' Leeds ' })], '\r\n'),
      E0_2223,
    );
    expect(result.issues).toEqual([]);
    const record = result.records[0]!;
    expect(record.homeTeam).toBe('Leeds');
    expect(record.result?.ftHome).toBe(3);
    expect(record.homeStats.shots).toBe(12);
    expect(record.odds.find((q) => q.selection === 'home' && q.market === '1x2' && q.phase === 'pre')?.price).toBe(10);
    expect(record.odds.find((q) => q.selection === 'draw' && q.phase === 'pre')?.price).toBe(5.5);
    expect(record.odds.filter((q) => q.market === 'ah').map((q) => q.line)).toEqual([-1, -1]);
  });

  it('treats empty price cells as "no quote" without complaint', () => {
    const result = read([HEADER.join(','), row({ B365H: '', PSCD: '', AHh: '', B365AHH: '', B365AHA: '' })]);
    expect(result.issues).toEqual([]);
    expect(result.records[0]!.odds.map((q) => `${q.bookmaker}:${q.market}:${q.selection}:${q.phase}`)).toEqual([
      'bet365:1x2:draw:pre',
      'bet365:1x2:away:pre',
      'pinnacle:1x2:home:close',
      'pinnacle:1x2:away:close',
      'bet365:ou:over:pre',
      'bet365:ou:under:pre',
    ]);
  });

  it('reads a half-time-less, time-less old-style row and an H:MM time', () => {
    const result = read([
      HEADER.join(','),
      row({ Time: '', HTHG: '', HTAG: '', HTR: '' }),
      row({ HomeTeam: 'Fulham', AwayTeam: 'Liverpool', Time: '9:30' }),
    ]);
    expect(result.issues).toEqual([]);
    expect(result.records[0]).toMatchObject({ kickoffTime: null, kickoffAtMs: Date.UTC(2022, 7, 4, 23, 0) });
    expect(result.records[0]!.result).toEqual({ ftHome: 0, ftAway: 2, htHome: null, htAway: null });
    expect(result.records[1]).toMatchObject({ kickoffTime: '09:30', kickoffAtMs: Date.UTC(2022, 7, 5, 8, 30) });
  });

  it('keeps quoted fields whole, including a comma and a line break, and reports the line each row starts on', () => {
    const result = read([
      HEADER.join(','),
      row({ HomeTeam: '"Brighton, Hove"', Referee: '"A\nTaylor"' }),
      row({ HomeTeam: 'Fulham', AwayTeam: 'Liverpool', FTR: 'H' }),
    ]);
    expect(result.records[0]).toMatchObject({ homeTeam: 'Brighton, Hove', referee: 'A\nTaylor', sourceLine: 2 });
    expect(result.issues).toEqual([
      expect.objectContaining({ severity: 'error', line: 4, column: 'FTR', value: 'H' }),
    ]);
  });
});

describe('parseFootballData: dates and seasons', () => {
  it('reads dd/mm/yy and dd/mm/yyyy alike', () => {
    const short = read([HEADER.join(','), row({ Date: '05/08/22' })]);
    const long = read([HEADER.join(','), row({ Date: '05/08/2022' })]);
    expect(short.records[0]!.kickoffDate).toBe('2022-08-05');
    expect(long.records[0]!.kickoffDate).toBe('2022-08-05');
  });

  it('takes the century of a two-digit year from the season (9900: 99 is 1999, 00 is 2000)', () => {
    const result = read(
      [
        HEADER.join(','),
        row({ Div: 'E0', Date: '07/08/99', Time: '' }),
        row({ Date: '01/01/00', Time: '', HomeTeam: 'Fulham', AwayTeam: 'Liverpool' }),
      ],
      { file: 'E0/9900.csv', seasonCode: '9900' },
    );
    expect(result.issues).toEqual([]);
    expect(result.records.map((r) => [r.kickoffDate, r.seasonCode])).toEqual([
      ['1999-08-07', '9900'],
      ['2000-01-01', '9900'],
    ]);
  });

  it('without a season, reads yy as 20yy and derives the season from the date (July starts a season)', () => {
    const result = read(
      [
        HEADER.join(','),
        row({ Date: '30/06/23' }),
        row({ Date: '01/07/2023', HomeTeam: 'Fulham', AwayTeam: 'Liverpool' }),
      ],
      { file: 'fixtures.csv' },
    );
    expect(result.issues).toEqual([]);
    expect(result.records.map((r) => [r.kickoffDate, r.seasonCode])).toEqual([
      ['2023-06-30', '2223'],
      ['2023-07-01', '2324'],
    ]);
  });

  it('warns (and keeps the match) when a date falls outside the season named by the path', () => {
    const result = read([HEADER.join(','), row({ Date: '05/08/2021' })]);
    expect(result.records).toHaveLength(1);
    expect(result.issues).toEqual([
      expect.objectContaining({ severity: 'warning', line: 2, column: 'Date', value: '05/08/2021' }),
    ]);
    expect(result.issues[0]!.reason).toMatch(/outside season 2223.*right season/);
  });

  it('rejects a season option that is not a YYZZ code, naming the expected form', () => {
    const result = read([HEADER.join(','), row()], { file: 'E0/latest.csv', seasonCode: '2022' });
    expect(result.records).toEqual([]);
    expect(result.issues).toEqual([expect.objectContaining({ severity: 'error', line: 0, column: null })]);
    expect(result.issues[0]!.reason).toMatch(/YYZZ such as 2223/);
  });
});

describe('parseFootballData: encodings and layout', () => {
  it('falls back to windows-1252 for a stray cp1252 byte in a team name', () => {
    const text = `${HEADER.join(',')}\n${row({ HomeTeam: 'St Etienne', Referee: 'M Dean' })}\n`;
    const bytes = new TextEncoder().encode(text);
    const withCp1252 = new Uint8Array(bytes.length);
    withCp1252.set(bytes);
    // Overwrite "E" of Etienne with 0xC9 (É) and a referee letter with 0x92 (’), which latin-1 would get wrong.
    const home = text.indexOf('Etienne');
    withCp1252[home] = 0xc9;
    withCp1252[text.indexOf('M Dean') + 1] = 0x92;
    const result = parseFootballData(withCp1252, E0_2223);
    expect(result.encoding).toBe('windows-1252');
    expect(result.issues).toEqual([]);
    expect(result.records[0]!.homeTeam).toBe('St Étienne');
    expect(result.records[0]!.referee).toBe('M\u2019Dean');
  });

  it('keeps real UTF-8 as UTF-8', () => {
    const result = read([HEADER.join(','), row({ HomeTeam: 'Nürnberg', AwayTeam: 'Köln', Div: 'E0' })]);
    expect(result.encoding).toBe('utf-8');
    expect(result.records[0]).toMatchObject({ homeTeam: 'Nürnberg', awayTeam: 'Köln' });
  });

  it('strips a UTF-8 byte-order mark so the first column is still Div', () => {
    const plain = csv([HEADER.join(','), row()]);
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...plain]);
    const result = parseFootballData(withBom, E0_2223);
    expect(result.issues).toEqual([]);
    expect(result.records[0]!.competitionCode).toBe('E0');
    expect(result.encoding).toBe('utf-8');
  });

  it('refuses a UTF-16 file with a reason that says how to re-save it', () => {
    const result = parseFootballData(new Uint8Array([0xff, 0xfe, 0x44, 0x00]), E0_2223);
    expect(result.issues).toEqual([expect.objectContaining({ severity: 'error', line: 0 })]);
    expect(result.issues[0]!.reason).toMatch(/UTF-16.*save it as CSV/);
  });

  it('counts rows of only commas as blank rows and skips them', () => {
    const blank = HEADER.map(() => '').join(',');
    const result = read([HEADER.join(','), row(), blank, '', ' , ,', row({ HomeTeam: 'Fulham', AwayTeam: 'Liverpool' })]);
    expect(result.issues).toEqual([]);
    expect(result.blankRows).toBe(3);
    expect(result.dataRows).toBe(2);
    expect(result.records.map((r) => r.sourceLine)).toEqual([2, 6]);
  });

  it('ignores empty header names silently and reports unknown columns once', () => {
    const header = [...HEADER, 'Foo', '', '', ''];
    const result = read([header.join(','), row({ Foo: 'x' }, header), row({ HomeTeam: 'Fulham', AwayTeam: 'Liverpool', Foo: 'y' }, header)]);
    expect(result.issues).toEqual([]);
    expect(result.ignoredColumns).toEqual(['Foo']);
    expect(result.records).toHaveLength(2);
  });

  it('reads a 2024/25 header: Betfair, Betfair Exchange and 1xBet, pre and closing, without Interwetten or VC', () => {
    const header = [
      'Div', 'Date', 'Time', 'HomeTeam', 'AwayTeam', 'FTHG', 'FTAG', 'FTR', 'HTHG', 'HTAG', 'HTR', 'Referee',
      'HS', 'AS', 'HST', 'AST', 'HF', 'AF', 'HC', 'AC', 'HY', 'AY', 'HR', 'AR',
      'B365H', 'B365D', 'B365A', 'BFDH', 'BFH', 'BFD', 'BFA', 'BFEH', 'BFED', 'BFEA', '1XBH', '1XBD', '1XBA',
      'PSH', 'PSD', 'PSA', 'MaxH', 'AvgH', 'BFE>2.5', 'BFE<2.5', 'P>2.5', 'AHh', 'BFEAHH', 'BFEAHA', 'PAHH',
      'B365CH', 'BFCH', 'BFECH', 'BFECD', 'BFECA', '1XBCH', '1XBCD', '1XBCA', 'PSCH',
      'BFEC>2.5', 'BFEC<2.5', 'AHCh', 'BFECAHH', 'BFECAHA', '1XBCAHH',
    ];
    // Every price is distinct, so each quote can be found by its price.
    const prices: Record<string, string> = {
      BFH: '1.6', BFEH: '1.66', BFED: '4.4', BFEA: '6', '1XBH': '1.62', PSH: '1.63',
      'BFE>2.5': '1.72', 'BFE<2.5': '2.3', BFEAHH: '2.16', BFEAHA: '1.8',
      BFECH: '1.7', '1XBCH': '1.64', 'BFEC>2.5': '1.9', BFECAHH: '1.95', '1XBCAHH': '1.93',
    };
    const values: Record<string, string> = {
      Div: 'E0', Date: '16/08/2024', Time: '20:00', HomeTeam: 'Man United', AwayTeam: 'Fulham',
      FTHG: '1', FTAG: '0', FTR: 'H', HTHG: '0', HTAG: '0', HTR: 'D', AHh: '-1', AHCh: '-0.75',
      ...prices,
    };
    const result = parseFootballData(csv([header.join(','), header.map((n) => values[n] ?? '').join(',')]), {
      file: 'E0/2425.csv',
      seasonCode: '2425',
    });
    expect(result.issues).toEqual([]);
    // BFDH is not a column football-data publishes; it must be reported, not mistaken for a price.
    expect(result.ignoredColumns).toEqual(['BFDH']);
    const odds = result.records[0]!.odds;
    expect(odds).toHaveLength(Object.keys(prices).length);
    const quote = (name: string) => odds.find((q) => q.price === Number(prices[name]));
    expect(quote('BFH')).toMatchObject({ bookmaker: 'betfair', market: '1x2', selection: 'home', phase: 'pre' });
    expect(quote('BFEH')).toMatchObject({ bookmaker: 'betfair-exchange', market: '1x2', selection: 'home', phase: 'pre' });
    expect(quote('BFEA')).toMatchObject({ bookmaker: 'betfair-exchange', market: '1x2', selection: 'away' });
    expect(quote('1XBH')).toMatchObject({ bookmaker: '1xbet', market: '1x2', selection: 'home', phase: 'pre' });
    expect(quote('1XBCH')).toMatchObject({ bookmaker: '1xbet', market: '1x2', selection: 'home', phase: 'close' });
    expect(quote('BFECH')).toMatchObject({ bookmaker: 'betfair-exchange', market: '1x2', phase: 'close' });
    expect(quote('BFE>2.5')).toMatchObject({ bookmaker: 'betfair-exchange', market: 'ou', line: 2.5, selection: 'over' });
    expect(quote('BFEC>2.5')).toMatchObject({ bookmaker: 'betfair-exchange', market: 'ou', phase: 'close' });
    expect(quote('BFEAHH')).toMatchObject({ bookmaker: 'betfair-exchange', market: 'ah', line: -1, phase: 'pre' });
    expect(quote('BFECAHH')).toMatchObject({ bookmaker: 'betfair-exchange', market: 'ah', line: -0.75, phase: 'close' });
    expect(quote('1XBCAHH')).toMatchObject({ bookmaker: '1xbet', market: 'ah', line: -0.75, phase: 'close' });
    expect(odds.some((q) => q.bookmaker === 'interwetten' || q.bookmaker === 'vc-bet')).toBe(false);
  });

  it('reads a fixtures.csv: several divisions, blank results, season from each date', () => {
    const blankResult = { FTHG: '', FTAG: '', FTR: '', HTHG: '', HTAG: '', HTR: '', Referee: '', HS: '', AS: '', HY: '', AY: '' };
    const result = read(
      [
        HEADER.join(','),
        row({ ...blankResult, Div: 'E0', Date: '16/08/2025', Time: '15:00', HomeTeam: 'Arsenal', AwayTeam: 'Leeds' }),
        row({ ...blankResult, Div: 'SP1', Date: '17/08/2025', Time: '18:30', HomeTeam: 'Betis', AwayTeam: 'Elche' }),
        row({ ...blankResult, Div: 'E0', Date: '03/01/2026', Time: '12:30', HomeTeam: 'Leeds', AwayTeam: 'Arsenal' }),
      ],
      { file: 'fixtures.csv' },
    );
    expect(result.issues).toEqual([]);
    expect(result.records.map((r) => [r.competitionCode, r.seasonCode, r.kickoffDate, r.result])).toEqual([
      ['E0', '2526', '2025-08-16', null],
      ['SP1', '2526', '2025-08-17', null],
      ['E0', '2526', '2026-01-03', null],
    ]);
    expect(result.records[0]!.kickoffAtMs).toBe(Date.UTC(2025, 7, 16, 14, 0));
    expect(result.records[2]!.kickoffAtMs).toBe(Date.UTC(2026, 0, 3, 12, 30));
    expect(result.records[0]!.homeStats.shots).toBeNull();
    expect(result.records[0]!.odds.length).toBeGreaterThan(0);
  });

  it('reads a fixtures-style header that has no result columns at all', () => {
    const header = ['Div', 'Date', 'Time', 'HomeTeam', 'AwayTeam', 'B365H', 'B365D', 'B365A'];
    const result = read([header.join(','), row({}, header)], { file: 'fixtures.csv' });
    expect(result.issues).toEqual([]);
    expect(result.records[0]!.result).toBeNull();
    expect(result.records[0]!.odds).toHaveLength(3);
  });
});

describe('parseFootballData: errors skip the row and say why', () => {
  it('a row with the wrong number of fields', () => {
    const result = read([HEADER.join(','), row(), `${row({ HomeTeam: 'Fulham', AwayTeam: 'Liverpool' })},extra`]);
    expect(result.records).toHaveLength(1);
    expect(result.issues).toEqual([expect.objectContaining({ severity: 'error', line: 3, column: null })]);
    expect(result.issues[0]!.reason).toMatch(/28 fields but the header has 27.*unquoted comma/);
  });

  it.each([
    ['Aug 5 2022', /expected a date like 13\/08\/05 or 13\/08\/2005/],
    ['31/02/2023', /exists in the calendar/],
    ['05/13/2022', /day\/month\/year/],
    ['5/8/202', /13\/08\/2005/],
  ])('an unreadable date %s', (value, reason) => {
    const issue = onlyIssue({ Date: value });
    expect(issue).toMatchObject({ severity: 'error', column: 'Date', value });
    expect(issue.reason).toMatch(reason);
  });

  it('an empty date', () => {
    expect(onlyIssue({ Date: '' })).toMatchObject({ severity: 'error', column: 'Date', reason: expect.stringMatching(/Date is empty/) });
  });

  it('a missing team name, or the same team twice', () => {
    expect(onlyIssue({ HomeTeam: '' })).toMatchObject({ column: 'HomeTeam', reason: expect.stringMatching(/both team names/) });
    expect(onlyIssue({ AwayTeam: '  ' })).toMatchObject({ column: 'AwayTeam', reason: expect.stringMatching(/both team names/) });
    expect(onlyIssue({ AwayTeam: 'Crystal Palace' })).toMatchObject({
      severity: 'error',
      column: 'AwayTeam',
      value: 'Crystal Palace',
      reason: expect.stringMatching(/both "Crystal Palace"/),
    });
  });

  it('one full-time score without the other', () => {
    expect(onlyIssue({ FTAG: '' })).toMatchObject({
      severity: 'error',
      column: 'FTAG',
      reason: expect.stringMatching(/FTAG is empty but FTHG is 0.*both empty for a fixture/),
    });
  });

  it('a score that is not a whole number', () => {
    expect(onlyIssue({ FTHG: '1.5', FTR: 'H' })).toMatchObject({
      severity: 'error',
      column: 'FTHG',
      value: '1.5',
      reason: expect.stringMatching(/whole number of goals/),
    });
  });

  it('a result that contradicts the score, or is not H/D/A', () => {
    expect(onlyIssue({ FTR: 'H' })).toMatchObject({
      severity: 'error',
      column: 'FTR',
      value: 'H',
      reason: expect.stringMatching(/FTR says a home win but the score 0-2 is an away win/),
    });
    expect(onlyIssue({ FTR: 'X' })).toMatchObject({ column: 'FTR', reason: expect.stringMatching(/H \(home win\), D/) });
    expect(onlyIssue({ FTHG: '', FTAG: '' })).toMatchObject({
      column: 'FTR',
      reason: expect.stringMatching(/FTR is A but FTHG and FTAG are empty/),
    });
  });

  it('a Div that is not the competition the file is loaded as', () => {
    expect(onlyIssue({ Div: 'E1' })).toMatchObject({
      severity: 'error',
      column: 'Div',
      value: 'E1',
      reason: expect.stringMatching(/Div is E1 but this file is being loaded as E0/),
    });
  });

  it('an empty Div, unless the caller named the competition', () => {
    const named = read([HEADER.join(','), row({ Div: '' })]);
    expect(named.issues).toEqual([]);
    expect(named.records[0]!.competitionCode).toBe('E0');
    const unnamed = read([HEADER.join(','), row({ Div: '' })], { file: 'x.csv', seasonCode: '2223' });
    expect(unnamed.issues).toEqual([expect.objectContaining({ severity: 'error', line: 2, column: 'Div' })]);
  });

  it('the same pairing twice in one season: the later row is the error', () => {
    const result = read([HEADER.join(','), row(), row({ HomeTeam: 'Fulham', AwayTeam: 'Liverpool' }), row({ Date: '06/08/2022' })]);
    expect(result.records.map((r) => r.sourceLine)).toEqual([2, 3]);
    expect(result.issues).toEqual([
      expect.objectContaining({ severity: 'error', line: 4, column: 'AwayTeam', value: 'Arsenal' }),
    ]);
    expect(result.issues[0]!.reason).toMatch(/Crystal Palace v Arsenal in season 2223 already appears on line 2/);
  });

  it('reports every error of a row, not only the first', () => {
    const result = read([HEADER.join(','), row({ HomeTeam: '', Date: '32/01/2023', FTR: 'D' })]);
    expect(result.issues.map((i) => i.column)).toEqual(['HomeTeam', 'Date', 'FTR']);
    expect(result.records).toEqual([]);
  });

  it('a header without the columns every football-data file has', () => {
    const header = HEADER.filter((name) => name !== 'HomeTeam' && name !== 'Div');
    const result = read([header.join(','), row({}, header)], { file: 'odd.csv', seasonCode: '2223' });
    expect(result.records).toEqual([]);
    expect(result.dataRows).toBe(1);
    expect(errors(result.issues)).toEqual([
      expect.objectContaining({ line: 1, column: 'HomeTeam', reason: expect.stringMatching(/no HomeTeam column/) }),
      expect.objectContaining({ line: 1, column: 'Div', reason: expect.stringMatching(/no Div column/) }),
    ]);
  });

  it('an empty file, and an unclosed quote', () => {
    expect(read([]).issues).toEqual([expect.objectContaining({ severity: 'error', line: 1, reason: expect.stringMatching(/no header/) })]);
    const result = read([HEADER.join(','), row(), row({ HomeTeam: '"Fulham', AwayTeam: 'Liverpool' })]);
    expect(result.issues).toEqual([
      expect.objectContaining({ severity: 'error', reason: expect.stringMatching(/not readable as CSV.*unclosed double quote/) }),
    ]);
    expect(result.issues[0]!.line).toBeGreaterThanOrEqual(3);
  });
});

describe('parseFootballData: warnings keep the row and drop the value', () => {
  it('a statistic that is not a whole number (the real I1 0607 HY=1.2)', () => {
    const result = read([HEADER.join(','), row({ HY: '1.2' })]);
    expect(result.records[0]!.homeStats.yellowCards).toBeNull();
    expect(result.records[0]!.awayStats.yellowCards).toBe(2);
    expect(result.issues).toEqual([
      {
        severity: 'warning',
        file: 'E0/2223.csv',
        line: 2,
        column: 'HY',
        value: '1.2',
        reason: 'expected a whole number of yellow cards (0 or more); the value is left empty and the match is kept',
      },
    ]);
  });

  it.each([
    ['B365H', 'abc', /expected decimal odds such as 1.85/],
    ['B365H', '1.0', /greater than 1.0/],
    ['PSCA', '0', /greater than 1.0/],
    ['B365>2.5', '-2.1', /greater than 1.0/],
    ['B365D', '1e3', /expected decimal odds/],
  ])('a bad price %s=%s drops only that quote', (column, value, reason) => {
    const result = read([HEADER.join(','), row({ [column]: value })]);
    expect(result.records[0]!.odds).toHaveLength(9);
    expect(result.issues).toEqual([expect.objectContaining({ severity: 'warning', line: 2, column, value })]);
    expect(result.issues[0]!.reason).toMatch(reason);
    expect(result.issues[0]!.reason).toMatch(/price is dropped/);
  });

  it('an Asian-handicap price whose line is empty', () => {
    const result = read([HEADER.join(','), row({ AHh: '' })]);
    expect(result.records[0]!.odds.some((q) => q.market === 'ah')).toBe(false);
    expect(warnings(result.issues)).toEqual([
      expect.objectContaining({ line: 2, column: 'B365AHH', value: '2.04', reason: expect.stringMatching(/handicap line AHh is empty/) }),
      expect.objectContaining({ line: 2, column: 'B365AHA', value: '1.89' }),
    ]);
  });

  it('a handicap line that is not in quarter goals (the real BbAHh=-1.2 rows)', () => {
    const result = read([HEADER.join(','), row({ AHh: '-1.2' })]);
    expect(result.records[0]!.odds.some((q) => q.market === 'ah')).toBe(false);
    expect(result.issues).toEqual([
      expect.objectContaining({ severity: 'warning', line: 2, column: 'AHh', value: '-1.2', reason: expect.stringMatching(/quarter goals/) }),
    ]);
  });

  it('Asian-handicap prices with no line column at all are reported once for the file', () => {
    const header = HEADER.filter((name) => name !== 'AHh');
    const result = read([header.join(','), row({}, header), row({ HomeTeam: 'Fulham', AwayTeam: 'Liverpool' }, header)]);
    expect(result.records).toHaveLength(2);
    expect(result.issues).toEqual([
      expect.objectContaining({ severity: 'warning', line: 1, column: 'B365AHH', reason: expect.stringMatching(/no handicap-line column/) }),
      expect.objectContaining({ severity: 'warning', line: 1, column: 'B365AHA' }),
    ]);
  });

  it('a kick-off time that is not a clock time', () => {
    const result = read([HEADER.join(','), row({ Time: '25:00' })]);
    expect(result.records[0]).toMatchObject({ kickoffTime: null, kickoffAtMs: Date.UTC(2022, 7, 4, 23, 0) });
    expect(result.issues).toEqual([
      expect.objectContaining({ severity: 'warning', column: 'Time', value: '25:00', reason: expect.stringMatching(/like 15:00/) }),
    ]);
  });

  it('a half-time score larger than the full-time score', () => {
    const result = read([HEADER.join(','), row({ HTAG: '3' })]);
    expect(result.records[0]!.result).toEqual({ ftHome: 0, ftAway: 2, htHome: null, htAway: null });
    expect(result.issues).toEqual([expect.objectContaining({ severity: 'warning', reason: expect.stringMatching(/exceeds the full-time score/) })]);
  });

  it('a duplicated column name', () => {
    const header = [...HEADER, 'B365H'];
    const result = read([header.join(','), `${row()},9.9`]);
    expect(result.issues).toEqual([expect.objectContaining({ severity: 'warning', line: 1, column: 'B365H', reason: expect.stringMatching(/only the first/) })]);
    expect(result.records[0]!.odds.find((q) => q.selection === 'home' && q.market === '1x2' && q.phase === 'pre')?.price).toBe(4.2);
  });
});
