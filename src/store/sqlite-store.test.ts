import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, expect, it } from 'vitest';
import { openSqliteStore } from './sqlite-store.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tipster-sqlite-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('takes the write lock when a transaction begins, so other writers wait instead of hitting a stale snapshot', async () => {
  const filename = path.join(dir, 'store.db');
  const store = openSqliteStore(filename);
  await sql`create table t (x integer)`.execute(store.db);
  const other = new BetterSqlite3(filename);
  other.pragma('busy_timeout = 0');
  try {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const transaction = store.db.transaction().execute(async (trx) => {
      // Only a read so far: a deferred transaction would not hold any lock yet.
      await sql`select count(*) from t`.execute(trx);
      await held;
      await sql`insert into t values (1)`.execute(trx);
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(() => other.exec('begin immediate')).toThrow(/database is locked/);
    release();
    await transaction;
    other.exec('begin immediate; insert into t values (2); commit');
    expect(other.prepare('select count(*) as n from t').get()).toEqual({ n: 2 });
  } finally {
    other.close();
    await store.close();
  }
});
