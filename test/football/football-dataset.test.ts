import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { resolveFootballDataSources } from '../../src/ingest/football-data/football-data-sources.js';
import { loadFootballData } from '../../src/ingest/football-data/load-football-data.js';
import { loadFootballDataset } from '../../src/store/football-dataset-repository.js';
import type { Store } from '../../src/store/store.js';
import { describePerBackend, freshStore } from '../support/backends.js';
import { SHARED_FOOTBALL_DATA } from '../support/shared-data.js';

describePerBackend('football dataset for models', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await freshStore(backend);
    const files = ['E0/2122.csv', 'E0/2223.csv', 'SP1/2223.csv'].map((f) => path.join(SHARED_FOOTBALL_DATA, f));
    // One upcoming fixture (no result) so the split between played and upcoming is exercised.
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tipster-ds-'));
    const fixtures = path.join(tmp, 'fixtures.csv');
    fs.writeFileSync(fixtures, 'Div,Date,Time,HomeTeam,AwayTeam,FTHG,FTAG,FTR,B365H,B365D,B365A\nE0,12/08/2023,15:00,Arsenal,Chelsea,,,,1.9,3.6,4.2\n');
    await loadFootballData(store, await resolveFootballDataSources([...files, fixtures], process.cwd()));
    fs.rmSync(tmp, { recursive: true, force: true });
  });
  afterAll(async () => {
    await store.close();
    await backend.cleanup();
  });

  it('returns played matches in kick-off order with results, stats and pre-match and closing 1X2 books', async () => {
    const { played, upcoming } = await loadFootballDataset(store.db, { competitions: ['E0'] });
    expect(played).toHaveLength(760);
    for (let i = 1; i < played.length; i++) expect(played[i]!.kickoffAtMs).toBeGreaterThanOrEqual(played[i - 1]!.kickoffAtMs);
    const opener = played.find((m) => m.season === '2223' && m.homeTeam === 'Crystal Palace' && m.awayTeam === 'Arsenal')!;
    expect(opener).toMatchObject({ homeGoals: 0, awayGoals: 2, halfTimeHomeGoals: 0, halfTimeAwayGoals: 1, kickoffTimeKnown: true });
    expect(opener.stats).toMatchObject({ homeShots: 10, awayShots: 10, homeShotsOnTarget: 2, awayShotsOnTarget: 2 });
    expect(opener.preMatchOdds.bet365).toEqual({ home: 4.2, draw: 3.6, away: 1.85 });
    expect(opener.closingOdds.pinnacle).toEqual({ home: 4.58, draw: 3.63, away: 1.88 });
    expect(opener.preMatchOdds['market-avg']).toBeDefined();
    expect(upcoming).toEqual([expect.objectContaining({ homeTeam: 'Arsenal', awayTeam: 'Chelsea', season: '2324' })]);
    expect(upcoming[0]).not.toHaveProperty('homeGoals');
  });

  it('filters by competition and season start year', async () => {
    const only2223 = await loadFootballDataset(store.db, { competitions: ['E0', 'SP1'], fromStartYear: 2022, toStartYear: 2022 });
    expect(only2223.played).toHaveLength(760);
    expect(new Set(only2223.played.map((m) => m.competition))).toEqual(new Set(['E0', 'SP1']));
    expect((await loadFootballDataset(store.db, { competitions: ['XX'] })).played).toEqual([]);
  });
});
