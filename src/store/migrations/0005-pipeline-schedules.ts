import { sql, type ColumnDefinitionBuilder, type Kysely, type Migration } from 'kysely';
import type { StoreCapabilities } from '../store.js';

/**
 * Schedules: at most one active run per pipeline (enforced by the database, so it holds across
 * processes), every scheduler tick's decision, and each schedule's next fire time.
 */
export function pipelineSchedulesMigration(capabilities: StoreCapabilities): Migration {
  const id = (col: ColumnDefinitionBuilder) =>
    capabilities.identityColumns ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey();
  return {
    async up(db: Kysely<any>) {
      // A partial unique index, not a lock: whoever inserts the second queued/running run of a
      // pipeline gets a unique violation, whichever process or machine it runs on.
      await db.schema
        .createIndex('pipeline_runs_one_active_idx')
        .on('pipeline_runs')
        .column('pipeline')
        .unique()
        .where(sql<boolean>`status in ('queued', 'running')`)
        .execute();

      await db.schema
        .createTable('pipeline_schedule_ticks')
        .addColumn('id', 'integer', id)
        .addColumn('pipeline', 'text', (c) => c.notNull())
        .addColumn('scheduled_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('decided_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('decision', 'text', (c) =>
          c.notNull().check(sql`decision in ('started', 'skipped_condition', 'skipped_overlap', 'failed_to_start')`),
        )
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('run_id', 'text', (c) => c.references('pipeline_runs.id').onDelete('set null'))
        .addColumn('owner', 'text', (c) => c.notNull())
        .execute();
      // Ticks are read newest first, for one pipeline or all.
      await db.schema
        .createIndex('pipeline_schedule_ticks_pipeline_idx')
        .on('pipeline_schedule_ticks')
        .columns(['pipeline', 'scheduled_at_ms'])
        .execute();
      await db.schema
        .createIndex('pipeline_schedule_ticks_scheduled_idx')
        .on('pipeline_schedule_ticks')
        .column('scheduled_at_ms')
        .execute();
      // One fire time starts at most one run, however many schedulers see it: the first to claim it wins.
      await db.schema
        .createIndex('pipeline_schedule_ticks_one_start_idx')
        .on('pipeline_schedule_ticks')
        .columns(['pipeline', 'scheduled_at_ms'])
        .unique()
        .where(sql<boolean>`decision = 'started'`)
        .execute();

      await db.schema
        .createTable('pipeline_schedules')
        .addColumn('pipeline', 'text', (c) => c.primaryKey())
        .addColumn('cron', 'text', (c) => c.notNull())
        .addColumn('timezone', 'text', (c) => c.notNull())
        .addColumn('next_fire_at_ms', 'bigint')
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('updated_at_ms', 'bigint', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('pipeline_schedules').execute();
      await db.schema.dropTable('pipeline_schedule_ticks').execute();
      await db.schema.dropIndex('pipeline_runs_one_active_idx').execute();
    },
  };
}
