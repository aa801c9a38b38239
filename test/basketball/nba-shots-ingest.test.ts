import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadNbaShots, resolveNbaShotSources, type NbaShotSource } from '../../src/ingest/nba-shots/load-nba-shots.js';
import type { Store } from '../../src/store/store.js';
import { describePerBackend, freshStore } from '../support/backends.js';
import { BUNDLED_NBA_SHOTS, sampleLines, sampleOfDates, writeTempCsv } from './support/nba-sample.js';

const source = (file: string): NbaShotSource => ({ location: file, label: path.basename(file) });

/** Everything a reload could change, as one comparable value. */
async function snapshot(store: Store) {
  const counts = await sql<{ teams: number; players: number; games: number; shots: number; made: number; home: number; xsum: number }>`
    select (select count(*) from nba_teams) as teams, (select count(*) from nba_players) as players,
           (select count(*) from nba_games) as games, (select count(*) from nba_shots) as shots,
           (select sum(made) from nba_shots) as made, (select sum(is_home) from nba_shots) as home,
           (select round(cast(sum(loc_x * 10) as numeric), 0) from nba_shots) as xsum`.execute(store.db);
  const row = counts.rows[0]!;
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]));
}

describePerBackend('NBA shot-chart ingestion', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await freshStore(backend);
  });
  afterAll(async () => {
    await store.close();
    await backend.cleanup();
  });

  it('loads every shot of the bundled sample with its game, teams and player', async () => {
    const [report] = await loadNbaShots(store, [source(BUNDLED_NBA_SHOTS)]);
    expect(report!.error).toBeNull();
    expect(report).toMatchObject({ status: 'loaded', dataRows: 48_622, shots: 48_622, skippedRows: 0 });
    expect(report!.written).toEqual({
      teams: { inserted: 30, updated: 0, unchanged: 0 },
      players: { inserted: 477, updated: 0, unchanged: 0 },
      games: { inserted: 273, updated: 0, unchanged: 0 },
      shots: { inserted: 48_622, updated: 0, unchanged: 0 },
    });
    expect(await snapshot(store)).toMatchObject({ teams: 30, players: 477, games: 273, shots: 48_622, made: 22_815 });
    // The file never says which code is whose: Washington is WAS, and away at Miami on 3 November.
    const wizards = await store.db.selectFrom('nba_teams').selectAll().where('id', '=', 1610612764).executeTakeFirstOrThrow();
    expect(wizards).toMatchObject({ name: 'Washington Wizards', abbreviation: 'WAS' });
    const game = await store.db.selectFrom('nba_games').selectAll().where('id', '=', 22300003).executeTakeFirstOrThrow();
    expect(game).toMatchObject({ season: '2023-24', game_date: '2023-11-03', home_team: 'MIA', away_team: 'WAS', home_team_id: 1610612748, away_team_id: 1610612764 });
    // Every shot's home flag agrees with its game.
    const disagreeing = await sql<{ n: number }>`
      select count(*) as n from nba_shots s join nba_games g on g.id = s.game_id
      where (s.is_home = 1 and s.team_id <> g.home_team_id) or (s.is_home = 0 and s.team_id <> g.away_team_id)`.execute(store.db);
    expect(Number(disagreeing.rows[0]!.n)).toBe(0);
    const poole = await store.db.selectFrom('nba_shots').selectAll().where('player_id', '=', 1629673).where('game_id', '=', 22300003).orderBy('id').executeTakeFirstOrThrow();
    expect(poole).toMatchObject({ period: 1, seconds_left: 661, loc_x: -0.4, loc_y: 17.45, distance_ft: 12, made: 0, is_home: 0, action_type: 'Driving Floating Jump Shot' });
  });

  it('changes nothing when the same file is loaded again, or re-read with force, or the same games come in another file', async () => {
    const before = await snapshot(store);
    const [again] = await loadNbaShots(store, [source(BUNDLED_NBA_SHOTS)]);
    expect(again).toMatchObject({ status: 'unchanged', written: null });
    const [forced] = await loadNbaShots(store, [source(BUNDLED_NBA_SHOTS)], { force: true });
    expect(forced!.status).toBe('loaded');
    expect(forced!.written!.shots).toEqual({ inserted: 0, updated: 0, unchanged: 48_622 });
    expect(forced!.written!.games).toEqual({ inserted: 0, updated: 0, unchanged: 273 });
    // A season file and a monthly cut share games: the same shots are recognised, not duplicated.
    const { header } = sampleLines();
    const lines = sampleOfDates(['2023-11-03']);
    const [overlap] = await loadNbaShots(store, [source(writeTempCsv('nov-3.csv', header, lines))]);
    expect(overlap!.written!.shots).toEqual({ inserted: 0, updated: 0, unchanged: lines.length });
    expect(await snapshot(store)).toEqual(before);
  });

  it('skips bad rows with their line, column and reason; --strict writes nothing of such a file', async () => {
    const { header } = sampleLines();
    // A game from outside the sample: a new game id on a new date, one row made bad.
    const good = sampleOfDates(['2023-10-24']).slice(0, 40).map((line) => line.replace(/,10-24-2023,(\d+),/, ',04-01-2024,9$1,'));
    const bad = good[5]!.replace(/,(TRUE|FALSE),/, ',MAYBE,');
    const file = writeTempCsv('with-bad-row.csv', header, [...good.slice(0, 5), bad, ...good.slice(6)]);
    const before = await snapshot(store);

    const [strict] = await loadNbaShots(store, [source(file)], { strict: true });
    expect(strict).toMatchObject({ status: 'rejected', written: null, skippedRows: 1 });
    expect(strict!.error!.code).toBe('TIPSTER_ERR_INGEST_ROWS_REJECTED');
    expect(strict!.issues).toEqual([
      { severity: 'error', file: 'with-bad-row.csv', line: 7, column: 'SHOT_MADE', value: 'MAYBE', reason: 'expected TRUE or FALSE' },
    ]);
    expect(await snapshot(store)).toEqual(before);

    const [lenient] = await loadNbaShots(store, [source(file)]);
    expect(lenient).toMatchObject({ status: 'loaded', shots: 39, skippedRows: 1 });
    expect(lenient!.written!.games.inserted).toBe(1);
    expect((await snapshot(store)).shots).toBe(before.shots! + 39);
  });

  it('expands directories into their CSV files and names a missing path', async () => {
    const sources = await resolveNbaShotSources([path.dirname(BUNDLED_NBA_SHOTS)], process.cwd());
    expect(sources.map((s) => path.basename(s.location))).toEqual(['NBA_2024_Shots_2023-10_to_2023-11.csv']);
    await expect(resolveNbaShotSources(['no/such/dir'], process.cwd())).rejects.toMatchObject({ code: 'TIPSTER_ERR_NBA_SOURCE_NOT_FOUND' });
  });
});
