import { sql } from 'kysely';
import PgBoss from 'pg-boss';
import type { Logger } from '../../core/logger.js';
import type { Store } from '../../store/store.js';

/**
 * Starts pg-boss on the store's PostgreSQL database, installing its schema on first use. Workers also
 * run pg-boss's maintenance (expiry, archiving); coordinators only send. pg-boss's own cron is off:
 * schedules belong to Tipster's scheduler.
 */
export async function startTaskQueue(
  connectionString: string,
  options: { role: 'coordinator' | 'worker'; maxConnections: number; logger: Logger },
): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString,
    application_name: `tipster-${options.role}`,
    max: options.maxConnections,
    schedule: false,
    supervise: options.role === 'worker',
    migrate: true,
  });
  // pg-boss reports trouble (a lost connection, a failed poll) as events; unheard, they would crash the process.
  boss.on('error', (error) => options.logger.warn({ err: error }, 'pg-boss reported an error'));
  await boss.start();
  return boss;
}

/**
 * Creates the queues that do not exist yet. pg-boss makes each queue a partition with foreign keys,
 * and two processes creating different queues at once can deadlock (two workers starting together on
 * a fresh database do), so creators take turns under a transaction-scoped advisory lock.
 */
export async function ensureTaskQueues(store: Store, boss: PgBoss, queues: readonly string[]): Promise<void> {
  const existing = new Set((await boss.getQueues()).map((q) => q.name));
  const missing = queues.filter((q) => !existing.has(q));
  if (missing.length === 0) return;
  await store.db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${'tipster.pipeline-task-queues'}))`.execute(trx);
    for (const queue of missing) await boss.createQueue(queue);
  });
}
