import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  footballDataUrls,
  resolveFootballDataSources,
} from '../../src/ingest/football-data/football-data-sources.js';
import { loadFootballData } from '../../src/ingest/football-data/load-football-data.js';
import { summarizeStore } from '../../src/store/store-status.js';
import type { Store } from '../../src/store/store.js';
import { describePerBackend, freshStore } from '../support/backends.js';
import { BUNDLED_FOOTBALL_DATA, SHARED_FOOTBALL_DATA, footballDataManifest } from '../support/shared-data.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tipster-ingest-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function load(store: Store, inputs: string[], options: { strict?: boolean; force?: boolean } = {}) {
  return loadFootballData(store, await resolveFootballDataSources(inputs, process.cwd()), options);
}

function writeTemp(name: string, content: string | Uint8Array): string {
  const file = path.join(tmp, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

async function matchCount(store: Store, where: { competition?: string; season?: string } = {}) {
  let query = store.db
    .selectFrom('matches as m')
    .innerJoin('seasons as s', 's.id', 'm.season_id')
    .innerJoin('competitions as c', 'c.id', 'm.competition_id')
    .select((eb) => eb.fn.countAll<number>().as('n'));
  if (where.competition) query = query.where('c.code', '=', where.competition);
  if (where.season) query = query.where('s.code', '=', where.season);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

/** football-data's fixtures.csv layout: the season file's columns, results and stats blank, several divisions. */
function fixturesCsvFrom(files: { file: string; lastRows: number }[]): string {
  const blank = new Set(['FTHG', 'FTAG', 'FTR', 'HTHG', 'HTAG', 'HTR', 'Referee', 'HS', 'AS', 'HST', 'AST', 'HF', 'AF', 'HC', 'AC', 'HY', 'AY', 'HR', 'AR']);
  let header: string[] | undefined;
  const out: string[] = [];
  for (const { file, lastRows } of files) {
    const lines = fs.readFileSync(file, 'latin1').split(/\r?\n/).filter((l) => l !== '');
    const cols = lines[0]!.split(',');
    if (!header) {
      header = cols;
      out.push(lines[0]!);
    }
    for (const line of lines.slice(-lastRows)) {
      const cells = line.split(',');
      const byName = new Map(cols.map((c, i) => [c, blank.has(c) ? '' : cells[i] ?? '']));
      out.push(header.map((c) => byName.get(c) ?? '').join(','));
    }
  }
  return `${out.join('\r\n')}\r\n`;
}

describePerBackend('football-data ingestion', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await freshStore(backend);
  });
  afterAll(async () => {
    await store.close();
    await backend.cleanup();
  });

  it('loads every bundled league and season with exactly the manifest match counts, then reloads as a no-op', async () => {
    const reports = await load(store, [BUNDLED_FOOTBALL_DATA]);
    expect(reports.every((r) => r.status === 'loaded')).toBe(true);
    expect(reports.flatMap((r) => r.issues.filter((i) => i.severity === 'error'))).toEqual([]);

    const status = await summarizeStore(store.db);
    const expected = footballDataManifest().filter((m) => m.complete === 'yes');
    expect(status.seasons).toHaveLength(expected.length);
    for (const row of expected) {
      const season = status.seasons.find((s) => s.competition === row.div && s.season === row.season);
      expect(season, `${row.div} ${row.season}`).toBeDefined();
      expect(season!.matches, `${row.div} ${row.season}`).toBe(Number(row.matches));
      expect(season!.finished).toBe(season!.matches);
      expect(season!.odds).toBeGreaterThan(season!.matches * 20);
    }
    const totalsBefore = status.totals;

    const unchanged = await load(store, [BUNDLED_FOOTBALL_DATA]);
    expect(unchanged.every((r) => r.status === 'unchanged')).toBe(true);

    const forced = await load(store, [BUNDLED_FOOTBALL_DATA], { force: true });
    expect(forced.every((r) => r.status === 'loaded')).toBe(true);
    for (const r of forced) {
      expect(r.written!.matches.inserted + r.written!.matches.updated, r.source.label).toBe(0);
      expect(r.written!.odds.inserted + r.written!.odds.updated, r.source.label).toBe(0);
    }
    expect((await summarizeStore(store.db)).totals).toEqual(totalsBefore);
  });

  it('stores a real match exactly as the file says: teams, score, stats, normalised odds', async () => {
    const match = await store.db
      .selectFrom('matches as m')
      .innerJoin('teams as h', 'h.id', 'm.home_team_id')
      .innerJoin('teams as a', 'a.id', 'm.away_team_id')
      .innerJoin('seasons as s', 's.id', 'm.season_id')
      .selectAll('m')
      .where('h.name', '=', 'Crystal Palace')
      .where('a.name', '=', 'Arsenal')
      .where('s.code', '=', '2223')
      .executeTakeFirstOrThrow();
    expect(match).toMatchObject({
      kickoff_date: '2022-08-05',
      kickoff_time: '20:00',
      kickoff_at_ms: Date.UTC(2022, 7, 5, 19, 0), // 20:00 UK summer time
      status: 'finished',
      ft_home: 0,
      ft_away: 2,
      ht_home: 0,
      ht_away: 1,
      referee: 'A Taylor',
      home_shots: 10,
      away_shots: 10,
      home_shots_on_target: 2,
      away_corners: 5,
      away_yellow_cards: 2,
    });
    const odds = await store.db
      .selectFrom('odds as o')
      .innerJoin('bookmakers as b', 'b.id', 'o.bookmaker_id')
      .select(['b.slug', 'o.market', 'o.line', 'o.selection', 'o.phase', 'o.price'])
      .where('o.match_id', '=', match.id)
      .execute();
    const price = (slug: string, market: string, selection: string, phase: string, line = 0) =>
      odds.find((o) => o.slug === slug && o.market === market && o.selection === selection && o.phase === phase && o.line === line)?.price;
    expect(price('bet365', '1x2', 'home', 'pre')).toBe(4.2);
    expect(price('pinnacle', '1x2', 'home', 'close')).toBe(4.58);
    expect(price('bet365', 'ou', 'over', 'pre', 2.5)).toBe(2.1);
    expect(price('bet365', 'ah', 'home', 'pre', 0.5)).toBe(2.04);
    expect(price('market-max', '1x2', 'home', 'pre')).toBe(4.6);
  });

  it('completes a partial-season download with the newer full file, without duplicates', async () => {
    const fresh = await freshStore(backend);
    try {
      const partial = await load(fresh, [path.join(SHARED_FOOTBALL_DATA, '_partial/E0/2021.csv')]);
      expect(partial[0]!.status).toBe('loaded');
      expect(await matchCount(fresh, { competition: 'E0', season: '2021' })).toBe(184);
      const oddsBefore = (await summarizeStore(fresh.db)).totals.odds;

      const full = await load(fresh, [path.join(SHARED_FOOTBALL_DATA, 'E0/2021.csv')]);
      expect(full[0]!.written!.matches.inserted).toBe(380 - 184);
      // The newer download corrected one referee's name ("Jj Moss" → "J Moss").
      expect(full[0]!.written!.matches.updated).toBe(1);
      expect(await matchCount(fresh, { competition: 'E0', season: '2021' })).toBe(380);
      expect((await summarizeStore(fresh.db)).totals.odds).toBeGreaterThan(oddsBefore);
      expect(full[0]!.written!.odds.updated).toBe(0);
    } finally {
      await fresh.close();
    }
  });

  it('loads fixtures.csv (several divisions, no results) as upcoming matches that results complete later', async () => {
    const fresh = await freshStore(backend);
    try {
      const fixtures = writeTemp(
        'fixtures/fixtures.csv',
        fixturesCsvFrom([
          { file: path.join(SHARED_FOOTBALL_DATA, 'E0/2223.csv'), lastRows: 10 },
          { file: path.join(SHARED_FOOTBALL_DATA, 'SP1/2223.csv'), lastRows: 3 },
        ]),
      );
      const [fixtureReport] = await load(fresh, [fixtures]);
      expect(fixtureReport!.status).toBe('loaded');
      expect(fixtureReport!.issues.filter((i) => i.severity === 'error')).toEqual([]);
      let status = await summarizeStore(fresh.db);
      expect(status.seasons.map((s) => [s.competition, s.season, s.scheduled, s.finished])).toEqual([
        ['E0', '2223', 10, 0],
        ['SP1', '2223', 3, 0],
      ]);
      expect(status.totals.odds).toBeGreaterThan(0);
      const upcomingIds = (await fresh.db.selectFrom('matches').select('id').where('status', '=', 'scheduled').orderBy('id').execute()).map((r) => r.id);

      await load(fresh, [path.join(SHARED_FOOTBALL_DATA, 'E0/2223.csv')]);
      status = await summarizeStore(fresh.db);
      expect(status.seasons.find((s) => s.competition === 'E0')).toMatchObject({ matches: 380, finished: 380, scheduled: 0 });
      const completed = await fresh.db
        .selectFrom('matches')
        .select(['id', 'status', 'ft_home'])
        .where('id', 'in', upcomingIds)
        .execute();
      expect(completed.filter((m) => m.status === 'finished')).toHaveLength(10);
      expect(completed.every((m) => m.status === 'scheduled' || m.ft_home !== null)).toBe(true);

      // A stale fixtures file loaded afterwards never erases a result.
      await load(fresh, [fixtures], { force: true });
      status = await summarizeStore(fresh.db);
      expect(status.seasons.find((s) => s.competition === 'E0')).toMatchObject({ finished: 380, scheduled: 0 });
    } finally {
      await fresh.close();
    }
  });

  it('skips a malformed row and reports file, line, column and reason; --strict writes nothing', async () => {
    const lines = fs.readFileSync(path.join(SHARED_FOOTBALL_DATA, 'E0/1213.csv'), 'latin1').split('\n');
    lines[5] = lines[5]!.replace(/^E0,([^,]*),/, 'E0,31/02/13,'); // row on line 6: impossible date
    const bad = writeTemp('bad/E0/1213.csv', lines.join('\n'));

    const strictStore = await freshStore(backend);
    try {
      const [rejected] = await load(strictStore, [bad], { strict: true });
      expect(rejected!.status).toBe('rejected');
      expect(rejected!.error!.code).toBe('TIPSTER_ERR_INGEST_ROWS_REJECTED');
      expect(await matchCount(strictStore)).toBe(0);
      expect((await summarizeStore(strictStore.db)).totals.ingestedFiles).toBe(0);
    } finally {
      await strictStore.close();
    }

    const lenient = await freshStore(backend);
    try {
      const [report] = await load(lenient, [bad]);
      expect(report!.status).toBe('loaded');
      expect(report!.skippedRows).toBe(1);
      expect(report!.issues).toContainEqual(
        expect.objectContaining({ severity: 'error', line: 6, column: 'Date', value: '31/02/13', file: expect.stringContaining('1213.csv') }),
      );
      expect(await matchCount(lenient)).toBe(379);
    } finally {
      await lenient.close();
    }
  });

  it('fails a file that is not football-data as a whole, naming what is missing', async () => {
    const fresh = await freshStore(backend);
    try {
      const [report] = await load(fresh, [path.join(SHARED_FOOTBALL_DATA, 'manifest.csv')]);
      expect(report!.status).toBe('failed');
      expect(report!.error!.code).toBe('TIPSTER_ERR_INGEST_NOT_FOOTBALL_DATA');
      expect(report!.error!.message).toMatch(/no HomeTeam column/);
      // A broken quote far down the file makes every later row unreadable: the file fails, nothing is written.
      const unterminated = writeTemp(
        'quote/E0/1213.csv',
        'Div,Date,HomeTeam,AwayTeam,FTHG,FTAG,FTR\nE0,18/08/12,Arsenal,Sunderland,0,0,D\nE0,18/08/12,"Fulham,Norwich,5,0,H\n',
      );
      const [broken] = await load(fresh, [unterminated]);
      expect(broken!.status).toBe('failed');
      expect(broken!.error!.message).toMatch(/quote/i);
      expect(await matchCount(fresh)).toBe(0);
    } finally {
      await fresh.close();
    }
  });

  it('--strict still loads a file whose only problems are warnings (a zero price is dropped, the match kept)', async () => {
    const fresh = await freshStore(backend);
    try {
      const [report] = await load(fresh, [path.join(SHARED_FOOTBALL_DATA, 'E1/1213.csv')], { strict: true });
      expect(report!.status).toBe('loaded');
      expect(report!.issues).toEqual([
        expect.objectContaining({ severity: 'warning', line: 532, column: 'B365H', value: '0' }),
      ]);
      expect(await matchCount(fresh)).toBe(552);
    } finally {
      await fresh.close();
    }
  });

  it('rolls back the whole file when the write fails part-way', async () => {
    const fresh = await freshStore(backend);
    try {
      const { writeMatchRecords } = await import('../../src/store/match-record-writer.js');
      const { parseFootballData } = await import('../../src/ingest/football-data/parse-football-data.js');
      const parsed = parseFootballData(fs.readFileSync(path.join(SHARED_FOOTBALL_DATA, 'E0/1516.csv')), { file: 'E0/1516.csv', seasonCode: '1516' });
      const records = [...parsed.records];
      // A price from a bookmaker the catalogue does not know fails after the matches were written.
      records[200] = { ...records[200]!, odds: [{ bookmaker: 'no-such-bookmaker', market: '1x2', line: 0, selection: 'home', phase: 'pre', price: 2 }] };
      await expect(
        fresh.db.transaction().execute((trx) => writeMatchRecords(trx, fresh.capabilities, records, Date.now())),
      ).rejects.toThrow(/no-such-bookmaker/);
      expect(await matchCount(fresh)).toBe(0);
      expect((await summarizeStore(fresh.db)).totals.teams).toBe(0);
    } finally {
      await fresh.close();
    }
  });

  it('reads latin-1 bytes and CRLF, keeping accented team names', async () => {
    const fresh = await freshStore(backend);
    try {
      const text = 'Div,Date,HomeTeam,AwayTeam,FTHG,FTAG,FTR,HTHG,HTAG,HTR,B365H,B365D,B365A\r\n' +
        'F1,10/08/12,Montpellier,Toulouse,1,1,D,0,1,A,1.8,3.4,4.5\r\n' +
        'F1,11/08/12,St \xc9tienne,Lyon,2,0,H,1,0,H,2.5,3.2,2.9\r\n';
      const file = writeTemp('latin1/F1/1213.csv', Buffer.from(text, 'latin1'));
      const [report] = await load(fresh, [file]);
      expect(report!.status).toBe('loaded');
      const names = (await fresh.db.selectFrom('teams').select('name').orderBy('name').execute()).map((t) => t.name);
      expect(names).toContain('St Étienne');
    } finally {
      await fresh.close();
    }
  });
});

describePerBackend('football-data over HTTP (site layout /mmz4281/{season}/{div}.csv)', (backend) => {
  let server: http.Server;
  let baseUrl: string;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const m = /^\/mmz4281\/(\d{4})\/([A-Z0-9]+)\.csv$/.exec(req.url ?? '');
      const file = m ? path.join(SHARED_FOOTBALL_DATA, m[2]!, `${m[1]}.csv`) : '';
      if (!m || !fs.existsSync(file)) {
        res.writeHead(404).end('not found');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/csv' }).end(fs.readFileSync(file));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mmz4281`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await backend.cleanup();
  });

  it('downloads seasons by league and season code and reports a missing one without stopping', async () => {
    const store = await freshStore(backend);
    try {
      const sources = footballDataUrls(baseUrl, ['E0', 'SP1'], ['2122', '2223', '2324']);
      const reports = await loadFootballData(store, sources);
      const byLabel = Object.fromEntries(reports.map((r) => [r.source.label, r.status]));
      expect(byLabel).toEqual({
        '/mmz4281/2122/E0.csv': 'loaded',
        '/mmz4281/2223/E0.csv': 'loaded',
        '/mmz4281/2324/E0.csv': 'failed',
        '/mmz4281/2122/SP1.csv': 'loaded',
        '/mmz4281/2223/SP1.csv': 'loaded',
        '/mmz4281/2324/SP1.csv': 'failed',
      });
      const failed = reports.find((r) => r.status === 'failed')!;
      expect(failed.error!.code).toBe('TIPSTER_ERR_INGEST_FETCH_FAILED');
      expect(failed.error!.message).toContain('404');
      const status = await summarizeStore(store.db);
      expect(status.seasons.map((s) => [s.competition, s.season, s.matches])).toEqual([
        ['E0', '2122', 380],
        ['E0', '2223', 380],
        ['SP1', '2122', 380],
        ['SP1', '2223', 380],
      ]);
    } finally {
      await store.close();
    }
  });
});

describe('football-data sources', () => {
  it('reads league and season from both layouts and leaves other CSVs in a directory alone', async () => {
    const sources = await resolveFootballDataSources([SHARED_FOOTBALL_DATA], process.cwd());
    expect(sources.some((s) => s.location.endsWith('manifest.csv'))).toBe(false);
    expect(sources.find((s) => s.location.endsWith(path.join('E0', '1516.csv')))).toMatchObject({ competitionCode: 'E0', seasonCode: '1516' });
    const [url] = footballDataUrls('https://www.football-data.co.uk/mmz4281/', ['SP1'], ['2324']);
    expect(url).toMatchObject({ location: 'https://www.football-data.co.uk/mmz4281/2324/SP1.csv', competitionCode: 'SP1', seasonCode: '2324' });
  });
});
