import { Migrator, type MigrationResultSet } from 'kysely';
import { TipsterError } from '../core/errors.js';
import { allMigrations } from './migrations/index.js';
import type { Store } from './store.js';

/** Outcome of a migration: which migrations ran now and which were already applied. */
export interface MigrationReport {
  readonly applied: readonly string[];
  readonly alreadyApplied: number;
}

function migratorFor(store: Store): Migrator {
  const migrations = allMigrations(store.capabilities);
  return new Migrator({
    db: store.db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'tipster_migrations',
    migrationLockTableName: 'tipster_migrations_lock',
    // Migrations are per capability (football, tracking, pipelines, registry) and never alter each
    // other's tables, so one that lands after a later-numbered one may still run.
    allowUnorderedMigrations: true,
  });
}

/** Brings the schema to the latest version; all pending migrations run in one transaction. */
export async function migrateStore(store: Store): Promise<MigrationReport> {
  const migrator = migratorFor(store);
  const known = new Set(Object.keys(allMigrations(store.capabilities)));
  const before = await migrator.getMigrations();
  const unknown = (await listExecutedMigrationNames(store)).filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new TipsterError('TIPSTER_ERR_STORE_SCHEMA_TOO_NEW', { migrations: unknown.join(', ') });
  }
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error !== undefined) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new TipsterError(
      'TIPSTER_ERR_STORE_MIGRATION_FAILED',
      { migration: failed, reason: (result.error as Error).message ?? String(result.error) },
      { cause: result.error },
    );
  }
  return {
    applied: (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName),
    alreadyApplied: before.filter((m) => m.executedAt !== undefined).length,
  };
}

/** Number of migrations not yet applied (0 = up to date). */
export async function pendingMigrationCount(store: Store): Promise<number> {
  const migrations = await migratorFor(store).getMigrations();
  return migrations.filter((m) => m.executedAt === undefined).length;
}

async function listExecutedMigrationNames(store: Store): Promise<string[]> {
  const tables = await store.db.introspection.getTables();
  if (!tables.some((t) => t.name === 'tipster_migrations')) return [];
  const rows = await (store.db as unknown as import('kysely').Kysely<{ tipster_migrations: { name: string } }>)
    .selectFrom('tipster_migrations')
    .select('name')
    .execute();
  return rows.map((r) => r.name);
}
