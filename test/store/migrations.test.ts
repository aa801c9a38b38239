import { sql } from 'kysely';
import { afterAll, expect, it } from 'vitest';
import { isTipsterError } from '../../src/core/errors.js';
import { MATCH_STATS } from '../../src/football/match-record.js';
import { statColumn } from '../../src/store/match-repository.js';
import { migrateStore, pendingMigrationCount } from '../../src/store/migrate-store.js';
import { openStore } from '../../src/store/open-store.js';
import { describePerBackend } from '../support/backends.js';

describePerBackend('migrations', (backend) => {
  afterAll(() => backend.cleanup());

  it('creates the schema on an empty database, then has nothing left to do', async () => {
    const store = await openStore(await backend.freshUrl());
    try {
      expect(await pendingMigrationCount(store)).toBeGreaterThan(0);
      const first = await migrateStore(store);
      expect(first.applied).toContain('0001-football');
      expect(await pendingMigrationCount(store)).toBe(0);
      const again = await migrateStore(store);
      expect(again.applied).toEqual([]);
      const introspected = await store.db.introspection.getTables();
      const tables = introspected.map((t) => t.name);
      // Every per-team statistic of the domain has its home_/away_ column in the schema.
      const matchColumns = introspected.find((t) => t.name === 'matches')!.columns.map((c) => c.name);
      for (const stat of MATCH_STATS) {
        expect(matchColumns).toContain(`home_${statColumn(stat)}`);
        expect(matchColumns).toContain(`away_${statColumn(stat)}`);
      }
      expect(tables).toEqual(
        expect.arrayContaining(['competitions', 'seasons', 'teams', 'team_aliases', 'matches', 'bookmakers', 'odds', 'ingested_files']),
      );
    } finally {
      await store.close();
    }
  });

  it('refuses a database migrated by a newer Tipster, naming the unknown migration', async () => {
    const store = await openStore(await backend.freshUrl());
    try {
      await migrateStore(store);
      await sql`insert into tipster_migrations (name, timestamp) values ('9999-from-the-future', '2030-01-01T00:00:00.000Z')`.execute(
        store.db,
      );
      const error = await migrateStore(store).catch((e: unknown) => e);
      expect(isTipsterError(error, 'TIPSTER_ERR_STORE_SCHEMA_TOO_NEW')).toBe(true);
      expect((error as Error).message).toContain('9999-from-the-future');
    } finally {
      await store.close();
    }
  });

  it('enforces the domain constraints in the database itself', async () => {
    const store = await openStore(await backend.freshUrl());
    try {
      await migrateStore(store);
      await store.db.insertInto('bookmakers').values({ slug: 'x', name: 'X', kind: 'bookmaker' }).execute();
      await expect(
        store.db.insertInto('bookmakers').values({ slug: 'y', name: 'Y', kind: 'casino' }).execute(),
      ).rejects.toThrow();
      await expect(
        store.db.insertInto('bookmakers').values({ slug: 'x', name: 'X again', kind: 'bookmaker' }).execute(),
      ).rejects.toThrow();
    } finally {
      await store.close();
    }
  });
});
