import { sql, type Kysely, type Migration } from 'kysely';
import type { StoreCapabilities } from '../store.js';

/** Experiment tracking: experiments, runs, params, metric history (and latest values), tags, artifacts. */
export function trackingMigration(capabilities: StoreCapabilities): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('experiments')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('experiment_id', 'text', (c) => c.notNull().references('experiments.id').onDelete('cascade'))
        .addColumn('name', 'text')
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('running', 'finished', 'failed', 'killed')`))
        .addColumn('start_time_ms', 'bigint', (c) => c.notNull())
        .addColumn('end_time_ms', 'bigint')
        .addColumn('seed', 'bigint')
        .addColumn('code_version', 'text')
        .addColumn('data_fingerprint', 'text')
        .execute();
      await db.schema.createIndex('runs_experiment_start_idx').on('runs').columns(['experiment_id', 'start_time_ms']).execute();

      await db.schema
        .createTable('run_params')
        .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id').onDelete('cascade'))
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('run_params_pk', ['run_id', 'key'])
        .execute();

      // Full history (one row per key and step) and the latest value per key, kept in step on write,
      // so searches filter and sort on metrics without scanning histories.
      for (const table of ['run_metrics', 'run_latest_metrics'] as const) {
        let builder = db.schema
          .createTable(table)
          .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id').onDelete('cascade'))
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('step', 'bigint', (c) => c.notNull())
          .addColumn('value', 'double precision', (c) => c.notNull())
          .addColumn('timestamp_ms', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint(`${table}_pk`, table === 'run_metrics' ? ['run_id', 'key', 'step'] : ['run_id', 'key']);
        if (capabilities.withoutRowidTables) builder = builder.modifyEnd(sql`without rowid`);
        await builder.execute();
      }
      await db.schema.createIndex('run_latest_metrics_key_value_idx').on('run_latest_metrics').columns(['key', 'value']).execute();

      await db.schema
        .createTable('run_tags')
        .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id').onDelete('cascade'))
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('run_tags_pk', ['run_id', 'key'])
        .execute();
      await db.schema.createIndex('run_tags_key_value_idx').on('run_tags').columns(['key', 'value']).execute();

      await db.schema
        .createTable('run_artifacts')
        .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id').onDelete('cascade'))
        .addColumn('path', 'text', (c) => c.notNull())
        .addColumn('media_type', 'text', (c) => c.notNull())
        .addColumn('size_bytes', 'bigint', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('content', sql.raw(capabilities.binaryColumnType), (c) => c.notNull())
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('run_artifacts_pk', ['run_id', 'path'])
        .execute();
    },
    async down(db: Kysely<any>) {
      for (const table of ['run_artifacts', 'run_tags', 'run_latest_metrics', 'run_metrics', 'run_params', 'runs', 'experiments']) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}
