import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, it, expect } from 'vitest';
import type { MatchRecord, OddsQuote } from '../../football/match-record.js';
import { parseFootballData, type ParsedFootballData } from './parse-football-data.js';

// Real football-data.co.uk files staged next to the repo; see SOURCE.md there.
const DATA = new URL('../../../../shared/data/football-data/', import.meta.url);

interface ManifestRow {
  readonly path: string;
  readonly div: string;
  readonly season: string;
  readonly matches: string;
  readonly blank_rows: string;
  readonly crlf: string;
  readonly first_date: string;
  readonly last_date: string;
  readonly has_time: string;
  readonly has_PSH: string;
  readonly has_PSCH: string;
  readonly has_B365C: string;
}

const manifest = parse(readFileSync(new URL('manifest.csv', DATA)), { columns: true }) as ManifestRow[];

const parsedFiles = new Map<string, ParsedFootballData>();

/** Parses a staged file the way the loader will: season and division from its path. */
function parsed(path: string): ParsedFootballData {
  let result = parsedFiles.get(path);
  if (result === undefined) {
    const parts = path.split('/');
    const season = parts[parts.length - 1]!.replace('.csv', '');
    const div = parts[parts.length - 2]!;
    result = parseFootballData(readFileSync(new URL(path, DATA)), { file: path, seasonCode: season, competitionCode: div });
    parsedFiles.set(path, result);
  }
  return result;
}

function match(path: string, homeTeam: string, awayTeam: string): MatchRecord {
  const record = parsed(path).records.find((r) => r.homeTeam === homeTeam && r.awayTeam === awayTeam);
  if (record === undefined) throw new Error(`${homeTeam} v ${awayTeam} not found in ${path}`);
  return record;
}

function price(record: MatchRecord, wanted: Omit<OddsQuote, 'price' | 'line'> & { line?: number }): number | undefined {
  return record.odds.find(
    (q) =>
      q.bookmaker === wanted.bookmaker &&
      q.market === wanted.market &&
      q.selection === wanted.selection &&
      q.phase === wanted.phase &&
      (wanted.line === undefined || q.line === wanted.line),
  )?.price;
}

/** A manifest date (dd/mm/yy or dd/mm/yyyy, all 2005 or later) as YYYY-MM-DD. */
function isoDate(text: string): string {
  const [day, month, year] = text.split('/');
  return `${year!.length === 2 ? `20${year}` : year}-${month}-${day}`;
}

describe('every staged football-data file', () => {
  it('is listed in the manifest (77 files)', () => {
    expect(manifest).toHaveLength(77);
  });

  it.each(manifest.map((row) => [row.path, row] as const))(
    '%s parses without errors into exactly the manifest match count',
    (path, row) => {
      const result = parsed(path);
      expect(result.issues.filter((i) => i.severity === 'error')).toEqual([]);
      expect(result.records).toHaveLength(Number(row.matches));
      expect(result.dataRows).toBe(Number(row.matches));
      expect(result.blankRows).toBe(Number(row.blank_rows));
      expect(result.encoding).toBe('utf-8');
      expect(result.ignoredColumns).toEqual([]);
      expect(result.records[0]!.kickoffDate).toBe(isoDate(row.first_date));
      expect(result.records.at(-1)!.kickoffDate).toBe(isoDate(row.last_date));
      expect(new Set(result.records.map((r) => `${r.competitionCode} ${r.seasonCode}`))).toEqual(
        new Set([`${row.div} ${row.season}`]),
      );
      expect(result.records.every((r) => r.result !== null)).toBe(true);
      expect(result.records.every((r) => (r.kickoffTime !== null) === (row.has_time === 'yes'))).toBe(true);
      const has = (test: (q: OddsQuote) => boolean) => result.records.some((r) => r.odds.some(test));
      expect(has((q) => q.bookmaker === 'pinnacle' && q.market === '1x2' && q.phase === 'pre')).toBe(row.has_PSH === 'yes');
      expect(has((q) => q.bookmaker === 'pinnacle' && q.market === '1x2' && q.phase === 'close')).toBe(row.has_PSCH === 'yes');
      expect(has((q) => q.bookmaker === 'bet365' && q.phase === 'close')).toBe(row.has_B365C === 'yes');
    },
  );

  it('raises only the warnings the data deserves: the known bad cells, nothing else', () => {
    const warnings = manifest.flatMap((row) =>
      parsed(row.path)
        .issues.filter((i) => i.severity === 'warning')
        .map((i) => `${i.file}:${i.line} ${i.column}=${i.value}`),
    );
    expect(warnings.sort()).toEqual([
      // A 0 (or 0.0) where a price should be: football-data's placeholder for a missing quote.
      'E0/2122.csv:168 B365C<2.5=0.0',
      'E0/2122.csv:168 B365C>2.5=0.0',
      'E1/0607.csv:288 BbAHh=0.758',
      'E1/1213.csv:532 B365H=0',
      'E1/1819.csv:348 B365H=0',
      // Handicap lines that are not quarter goals (probably -1.25 cut short); their AH prices are dropped.
      'F1/1011.csv:197 BbAHh=-1.2',
      // Cagliari v Empoli, 14/04/2007: 1.2 yellow cards.
      'I1/0607.csv:303 HY=1.2',
      'I1/1011.csv:196 BbAHh=-1.2',
      'SP1/1011.csv:190 BbAHh=-1.2',
    ]);
  });

  it('keeps Cagliari v Empoli (I1 0607) with its impossible HY=1.2 left empty', () => {
    const record = match('I1/0607.csv', 'Cagliari', 'Empoli');
    expect(record).toMatchObject({ kickoffDate: '2007-04-14', sourceLine: 303, result: { ftHome: 0, ftAway: 0 } });
    expect(record.homeStats.yellowCards).toBeNull();
    expect(record.awayStats.yellowCards).toBe(2);
    expect(parsed('I1/0607.csv').issues).toEqual([
      {
        severity: 'warning',
        file: 'I1/0607.csv',
        line: 303,
        column: 'HY',
        value: '1.2',
        reason: 'expected a whole number of yellow cards (0 or more); the value is left empty and the match is kept',
      },
    ]);
  });
});

describe('football-data formats across seasons', () => {
  it('reads the 2019/20+ layout with closing odds: E0 2022/23 opening match', () => {
    // Values read by eye from the first data row of E0/2223.csv.
    const record = match('E0/2223.csv', 'Crystal Palace', 'Arsenal');
    expect(record).toMatchObject({
      kickoffDate: '2022-08-05',
      kickoffTime: '20:00',
      kickoffAtMs: Date.UTC(2022, 7, 5, 19, 0),
      referee: 'A Taylor',
      result: { ftHome: 0, ftAway: 2, htHome: 0, htAway: 1 },
      sourceLine: 2,
    });
    expect(record.homeStats).toMatchObject({ shots: 10, shotsOnTarget: 2, fouls: 16, corners: 3, yellowCards: 1 });
    expect(price(record, { bookmaker: 'bet365', market: '1x2', selection: 'home', phase: 'pre' })).toBe(4.2);
    expect(price(record, { bookmaker: 'pinnacle', market: '1x2', selection: 'home', phase: 'pre' })).toBe(4.5);
    expect(price(record, { bookmaker: 'pinnacle', market: '1x2', selection: 'home', phase: 'close' })).toBe(4.58);
    expect(price(record, { bookmaker: 'market-max', market: '1x2', selection: 'home', phase: 'close' })).toBe(5.01);
    expect(price(record, { bookmaker: 'pinnacle', market: 'ou', line: 2.5, selection: 'over', phase: 'pre' })).toBe(2.14);
    expect(price(record, { bookmaker: 'market-avg', market: 'ou', line: 2.5, selection: 'under', phase: 'close' })).toBe(1.76);
    expect(price(record, { bookmaker: 'bet365', market: 'ah', line: 0.5, selection: 'home', phase: 'pre' })).toBe(2.04);
    expect(price(record, { bookmaker: 'pinnacle', market: 'ah', line: 0.5, selection: 'away', phase: 'pre' })).toBe(1.89);
    expect(price(record, { bookmaker: 'bet365', market: 'ah', line: 0.5, selection: 'home', phase: 'close' })).toBe(2.09);
    // Per phase: 1x2 from 8 sources (24) + over/under (8) and handicap (8) from 4: all 80 cells filled.
    expect(record.odds).toHaveLength(80);
  });

  it('reads dd/mm/yy and dd/mm/yyyy files of the same season', () => {
    expect(parsed('E1/1718.csv').records[0]!.kickoffDate).toBe('2017-08-04'); // 04/08/17
    expect(parsed('E0/1718.csv').records[0]!.kickoffDate).toBe('2017-08-11'); // 11/08/2017
    expect(parsed('I1/0607.csv').records[0]!.kickoffDate).toBe('2006-09-09'); // 09/09/2006 in the yy era
    expect(parsed('SP1/1718.csv').records.at(-1)!.kickoffDate).toBe('2018-05-20'); // 20/05/18, re-serialized
  });

  it('reads pandas re-serialized files (10.0, -1.0, CRLF) exactly like the original download', () => {
    const barcelona = match('SP1/1314.csv', 'Barcelona', 'Levante');
    expect(price(barcelona, { bookmaker: 'bet365', market: '1x2', selection: 'draw', phase: 'pre' })).toBe(10);
    expect(price(barcelona, { bookmaker: 'bet365', market: '1x2', selection: 'away', phase: 'pre' })).toBe(26);
    const granada = match('SP1/1314.csv', 'Granada', 'Real Madrid');
    expect(price(granada, { bookmaker: 'betbrain-max', market: 'ah', selection: 'home', phase: 'pre' })).toBe(1.94);
    expect(granada.odds.find((q) => q.market === 'ah')?.line).toBe(1.5);

    // E0 2020/21 exists twice: the original download (to Jan 2021) and a later pandas re-save.
    const original = parsed('_partial/E0/2021.csv').records;
    const resaved = new Map(parsed('E0/2021.csv').records.map((r) => [`${r.homeTeam} v ${r.awayTeam}`, r]));
    const differences: string[] = [];
    for (const record of original) {
      const other = resaved.get(`${record.homeTeam} v ${record.awayTeam}`);
      expect(other).toBeDefined();
      const { sourceLine: _a, ...left } = record;
      const { sourceLine: _b, ...right } = other!;
      for (const key of Object.keys(left) as (keyof typeof left)[]) {
        if (JSON.stringify(left[key]) !== JSON.stringify(right[key])) differences.push(`${record.homeTeam} v ${record.awayTeam} ${key}`);
      }
    }
    expect(original).toHaveLength(184);
    // football-data corrected one referee's name between the two downloads; everything else is identical.
    expect(differences).toEqual(['Crystal Palace v Southampton referee']);
  });

  it('ignores the trailing empty header fields of D1 and I1 2010/11 and D1 2011/12 without a word', () => {
    for (const path of ['D1/1011.csv', 'D1/1112.csv', 'I1/1011.csv']) {
      const header = readFileSync(new URL(path, DATA), 'utf8').split('\n')[0]!.trimEnd();
      expect(header.endsWith(',,,'), path).toBe(true);
      expect(parsed(path).ignoredColumns).toEqual([]);
    }
    expect(parsed('D1/1011.csv').issues).toEqual([]);
    expect(match('D1/1011.csv', 'Bayern Munich', 'Wolfsburg').odds.length).toBeGreaterThan(40);
  });

  it('takes the Betbrain-era handicap line from BbAHh and never reads bookmaker counts as prices', () => {
    // E0 2005/06 opener: Bb1X2=56, BbOU=36, BbAH=22, BbAHh=-0.25, BbMxAHH 2.1, BbAvAHH 2.01, BbMxAHA 1.92, BbAvAHA 1.84.
    const record = match('E0/0506.csv', 'Aston Villa', 'Bolton');
    expect(record.odds.filter((q) => q.market === 'ah')).toEqual([
      { bookmaker: 'betbrain-max', market: 'ah', line: -0.25, selection: 'home', phase: 'pre', price: 2.1 },
      { bookmaker: 'betbrain-avg', market: 'ah', line: -0.25, selection: 'home', phase: 'pre', price: 2.01 },
      { bookmaker: 'betbrain-max', market: 'ah', line: -0.25, selection: 'away', phase: 'pre', price: 1.92 },
      { bookmaker: 'betbrain-avg', market: 'ah', line: -0.25, selection: 'away', phase: 'pre', price: 1.84 },
    ]);
    expect(record.odds.some((q) => q.price === 56 || q.price === 36 || q.price === 22)).toBe(false);
    expect(price(record, { bookmaker: 'betbrain-max', market: 'ou', line: 2.5, selection: 'over', phase: 'pre' })).toBe(2.2);
  });

  it('maps Pinnacle PSH (pre-match) and PSCH (closing) to the pinnacle slug', () => {
    // E0 2015/16 opener: PSH 1.95 / PSD 3.65 / PSA 4.27, PSCH 1.82 / PSCD 3.88 / PSCA 4.7.
    const record = match('E0/1516.csv', 'Bournemouth', 'Aston Villa');
    const pinnacle = record.odds.filter((q) => q.bookmaker === 'pinnacle').map((q) => `${q.phase} ${q.selection} ${q.price}`);
    expect(pinnacle).toEqual(['pre home 1.95', 'pre draw 3.65', 'pre away 4.27', 'close home 1.82', 'close draw 3.88', 'close away 4.7']);
  });

  it('leaves an empty price cell as no quote (I1 2005/06 has two empty B365H)', () => {
    const result = parsed('I1/0506.csv');
    const withoutBet365Home = result.records.filter(
      (r) => price(r, { bookmaker: 'bet365', market: '1x2', selection: 'home', phase: 'pre' }) === undefined,
    );
    expect(withoutBet365Home).toHaveLength(2);
  });
});
