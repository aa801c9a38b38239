import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { TipsterError } from '../core/errors.js';
import type { Database } from './database-schema.js';
import type { Store, StoreCapabilities } from './store.js';

const sqliteCapabilities: StoreCapabilities = Object.freeze({
  identityColumns: false,
  binaryColumnType: 'blob',
  withoutRowidTables: true,
  jsonArrayElements: (json: string) => sql`json_each(${json}) as j`,
});

/** Opens (creating if needed) an embedded SQLite store at `filename` (or `:memory:`). */
export function openSqliteStore(filename: string): Store {
  let handle: BetterSqlite3.Database;
  try {
    if (filename !== ':memory:') fs.mkdirSync(path.dirname(filename), { recursive: true });
    handle = new BetterSqlite3(filename);
    // WAL lets readers (status, API) run while an ingest writes; NORMAL sync is durable at each checkpoint
    // and crash-consistent, which is what the store promises.
    handle.pragma('journal_mode = WAL');
    handle.pragma('synchronous = NORMAL');
    handle.pragma('foreign_keys = ON');
    handle.pragma('busy_timeout = 5000');
  } catch (error) {
    throw new TipsterError(
      'TIPSTER_ERR_STORE_UNREACHABLE',
      { target: `sqlite:${filename}`, reason: (error as Error).message },
      { cause: error },
    );
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: handle }) });
  return {
    db,
    target: Object.freeze({ backend: 'sqlite', filename }),
    capabilities: sqliteCapabilities,
    close: () => db.destroy(),
  };
}
