import { sql, type Kysely, type Migration } from 'kysely';
import type { StoreCapabilities } from '../store.js';

/** Pipeline run history: runs, the state of each task in a run, and the tasks' log lines. */
export function pipelinesMigration(capabilities: StoreCapabilities): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('pipeline_runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('pipeline', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) =>
          c.notNull().check(sql`status in ('queued', 'running', 'succeeded', 'failed')`),
        )
        .addColumn('params', 'text', (c) => c.notNull())
        .addColumn('trigger', 'text', (c) => c.notNull())
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('started_at_ms', 'bigint')
        .addColumn('finished_at_ms', 'bigint')
        .addColumn('heartbeat_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('error', 'text')
        .execute();
      // Run history is listed newest first, across all pipelines or for one.
      await db.schema.createIndex('pipeline_runs_created_idx').on('pipeline_runs').column('created_at_ms').execute();
      await db.schema
        .createIndex('pipeline_runs_pipeline_created_idx')
        .on('pipeline_runs')
        .columns(['pipeline', 'created_at_ms'])
        .execute();
      // Start-up recovery and status filters look for the few unfinished runs among many finished ones.
      await db.schema
        .createIndex('pipeline_runs_status_created_idx')
        .on('pipeline_runs')
        .columns(['status', 'created_at_ms'])
        .execute();

      let taskRuns = db.schema
        .createTable('task_runs')
        .addColumn('run_id', 'text', (c) => c.notNull().references('pipeline_runs.id').onDelete('cascade'))
        .addColumn('task', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) =>
          c
            .notNull()
            .check(sql`status in ('pending', 'running', 'succeeded', 'failed', 'skipped', 'upstream_failed')`),
        )
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('started_at_ms', 'bigint')
        .addColumn('finished_at_ms', 'bigint')
        .addColumn('duration_ms', 'bigint')
        .addColumn('error', 'text')
        .addColumn('output', 'text')
        .addPrimaryKeyConstraint('task_runs_pk', ['run_id', 'task']);
      if (capabilities.withoutRowidTables) taskRuns = taskRuns.modifyEnd(sql`without rowid`);
      await taskRuns.execute();

      let taskLogs = db.schema
        .createTable('task_logs')
        .addColumn('run_id', 'text', (c) => c.notNull().references('pipeline_runs.id').onDelete('cascade'))
        .addColumn('task', 'text', (c) => c.notNull())
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('at_ms', 'bigint', (c) => c.notNull())
        .addColumn('level', 'text', (c) => c.notNull().check(sql`level in ('debug', 'info', 'warn', 'error')`))
        .addColumn('message', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('task_logs_pk', ['run_id', 'task', 'attempt', 'seq']);
      if (capabilities.withoutRowidTables) taskLogs = taskLogs.modifyEnd(sql`without rowid`);
      await taskLogs.execute();
    },
    async down(db: Kysely<any>) {
      for (const table of ['task_logs', 'task_runs', 'pipeline_runs']) await db.schema.dropTable(table).execute();
    },
  };
}
