import PgBoss from 'pg-boss';
import type { Logger } from '../../core/logger.js';

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
