import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteDialect, SqliteDriver, sql, type DatabaseConnection, type Driver } from 'kysely';
import { TipsterError } from '../core/errors.js';
import type { Database } from './database-schema.js';
import type { Store, StoreCapabilities } from './store.js';

const sqliteCapabilities: StoreCapabilities = Object.freeze({
  identityColumns: false,
  binaryColumnType: 'blob',
  withoutRowidTables: true,
  jsonArrayElements: (json: string) => sql`json_each(${json}) as j`,
});

/**
 * Transactions take the write lock when they begin (`BEGIN IMMEDIATE`), so a busy store makes them
 * wait (busy_timeout) instead of failing. With SQLite's default deferred transactions, one that
 * reads and then writes while another process (the API's live centre, a worker) has committed in
 * between fails at once with "database is locked": waiting cannot help a stale snapshot.
 */
class ImmediateTransactionsDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateTransactionsDialect extends SqliteDialect {
  readonly #handle: BetterSqlite3.Database;

  constructor(handle: BetterSqlite3.Database) {
    super({ database: handle });
    this.#handle = handle;
  }

  override createDriver(): Driver {
    return new ImmediateTransactionsDriver({ database: this.#handle });
  }
}

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
    // Several processes share the file (API, CLI, workers): a writer waits up to 15 s for the lock.
    handle.pragma('busy_timeout = 15000');
  } catch (error) {
    throw new TipsterError(
      'TIPSTER_ERR_STORE_UNREACHABLE',
      { target: `sqlite:${filename}`, reason: (error as Error).message },
      { cause: error },
    );
  }
  const db = new Kysely<Database>({ dialect: new ImmediateTransactionsDialect(handle) });
  return {
    db,
    target: Object.freeze({ backend: 'sqlite', filename }),
    capabilities: sqliteCapabilities,
    close: () => db.destroy(),
  };
}
