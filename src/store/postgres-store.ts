import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { redactUrl } from '../core/config.js';
import { TipsterError } from '../core/errors.js';
import type { Database } from './database-schema.js';
import type { Store, StoreCapabilities } from './store.js';

const INT8_OID = 20;

const postgresCapabilities: StoreCapabilities = Object.freeze({
  identityColumns: true,
  binaryColumnType: 'bytea',
  withoutRowidTables: false,
  jsonArrayElements: (json: string) => sql`json_array_elements(${json}::json) as j(value)`,
});

/** Connects to PostgreSQL and checks the connection before returning. */
export async function openPostgresStore(connectionString: string, options: { maxConnections?: number } = {}): Promise<Store> {
  const pool = new pg.Pool({
    connectionString,
    max: options.maxConnections ?? 10,
    // Epoch-ms columns and COUNT(*) are int8; they fit a double exactly, so read them as numbers, as SQLite does.
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client losing its server must not crash the process; the next query reports the problem.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new TipsterError(
      'TIPSTER_ERR_STORE_UNREACHABLE',
      { target: redactUrl(connectionString), reason: (error as Error).message },
      { cause: error },
    );
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    target: Object.freeze({ backend: 'postgres', connectionString }),
    capabilities: postgresCapabilities,
    close: () => db.destroy(),
  };
}
