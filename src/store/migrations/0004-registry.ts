import { sql, type ColumnDefinitionBuilder, type Kysely, type Migration } from 'kysely';
import type { StoreCapabilities } from '../store.js';

/** Model registry: registered models per task, versions tied to runs, tags, aliases with an audit trail. */
export function registryMigration(capabilities: StoreCapabilities): Migration {
  const id = (col: ColumnDefinitionBuilder) =>
    capabilities.identityColumns ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey();
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('registered_models')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('task', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('primary_metric', 'text', (c) => c.notNull())
        .addColumn('higher_is_better', 'integer', (c) => c.notNull().check(sql`higher_is_better in (0, 1)`))
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('model_versions')
        .addColumn('model_name', 'text', (c) => c.notNull().references('registered_models.name').onDelete('cascade'))
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id'))
        .addColumn('description', 'text')
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('model_versions_pk', ['model_name', 'version'])
        .execute();
      await db.schema
        .createTable('model_version_tags')
        .addColumn('model_name', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('model_version_tags_pk', ['model_name', 'version', 'key'])
        .addForeignKeyConstraint('model_version_tags_version_fk', ['model_name', 'version'], 'model_versions', ['model_name', 'version'], (fk) => fk.onDelete('cascade'))
        .execute();
      await db.schema
        .createTable('model_aliases')
        .addColumn('model_name', 'text', (c) => c.notNull())
        .addColumn('alias', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('updated_at_ms', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('model_aliases_pk', ['model_name', 'alias'])
        .addForeignKeyConstraint('model_aliases_version_fk', ['model_name', 'version'], 'model_versions', ['model_name', 'version'], (fk) => fk.onDelete('cascade'))
        .execute();
      // Every alias move, who made it and why; its highest id is also the registry's change counter.
      await db.schema
        .createTable('model_alias_events')
        .addColumn('id', 'integer', id)
        .addColumn('model_name', 'text', (c) => c.notNull())
        .addColumn('alias', 'text', (c) => c.notNull())
        .addColumn('from_version', 'integer')
        .addColumn('to_version', 'integer')
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('at_ms', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('model_alias_events_model_idx').on('model_alias_events').columns(['model_name', 'alias', 'id']).execute();
    },
    async down(db: Kysely<any>) {
      for (const table of ['model_alias_events', 'model_aliases', 'model_version_tags', 'model_versions', 'registered_models']) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}
