import { sql, type Kysely, type Migration } from 'kysely';
import type { StoreCapabilities } from '../store.js';

/**
 * Distributed pipeline execution: the `tipster worker` processes and their heartbeats, and one row per
 * task attempt sent to them. Both backends get the tables (same schema everywhere); only PostgreSQL
 * stores ever fill them, since workers need PostgreSQL.
 */
export function pipelineWorkersMigration(_capabilities: StoreCapabilities): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('pipeline_workers')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('host', 'text', (c) => c.notNull())
        .addColumn('pid', 'integer', (c) => c.notNull())
        .addColumn('concurrency', 'integer', (c) => c.notNull())
        .addColumn('pipelines', 'text', (c) => c.notNull())
        .addColumn('heartbeat_interval_ms', 'integer', (c) => c.notNull())
        .addColumn('started_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('heartbeat_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('stopped_at_ms', 'bigint')
        .execute();

      await db.schema
        .createTable('pipeline_task_dispatches')
        .addColumn('job_id', 'text', (c) => c.primaryKey())
        .addColumn('run_id', 'text', (c) => c.notNull().references('pipeline_runs.id').onDelete('cascade'))
        .addColumn('task', 'text', (c) => c.notNull())
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('state', 'text', (c) =>
          c.notNull().check(sql`state in ('dispatched', 'running', 'succeeded', 'failed', 'lost', 'withdrawn')`),
        )
        .addColumn('worker_id', 'text')
        .addColumn('dispatched_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('claimed_at_ms', 'bigint')
        .addColumn('finished_at_ms', 'bigint')
        .addColumn('output', 'text')
        .addColumn('error', 'text')
        .addColumn('last_log_seq', 'integer')
        // One dispatch per attempt: an attempt is never sent twice, so its log lines never collide.
        .addUniqueConstraint('pipeline_task_dispatches_attempt_uq', ['run_id', 'task', 'attempt'])
        .execute();
      // Each worker beat looks up the attempts it holds.
      await db.schema
        .createIndex('pipeline_task_dispatches_worker_idx')
        .on('pipeline_task_dispatches')
        .columns(['worker_id', 'state'])
        .execute();
    },
    async down(db: Kysely<any>) {
      for (const table of ['pipeline_task_dispatches', 'pipeline_workers']) await db.schema.dropTable(table).execute();
    },
  };
}
