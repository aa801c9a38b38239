import type { Config } from '../core/config.js';
import { TipsterError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Store } from '../store/store.js';
import { describeStoreTarget, type StoreTarget } from '../store/store-url.js';
import { PgBossTaskExecutor, type PgBossTaskExecutorOptions } from './distributed/pg-boss-task-executor.js';
import { InProcessTaskExecutor } from './in-process-task-executor.js';
import type { TaskExecutor } from './task-executor.js';

/** Tuning of the workers executor; the defaults suit production. */
export type CreateTaskExecutorOptions = Omit<PgBossTaskExecutorOptions, 'connectionString' | 'logger'> & {
  readonly logger?: Logger;
};

/**
 * The executor TIPSTER_PIPELINE_EXECUTOR asks for: `auto` (the default) runs tasks in this process on
 * SQLite and on `tipster worker` processes (pg-boss) on PostgreSQL. Asking for workers on SQLite is
 * refused with TIPSTER_ERR_PIPELINE_WORKERS_NEED_POSTGRES. The caller closes the executor when done.
 */
export function createTaskExecutor(store: Store, config: Config, options: CreateTaskExecutorOptions = {}): TaskExecutor {
  const choice = config.pipelineExecutor === 'auto' ? (store.target.backend === 'postgres' ? 'workers' : 'in-process') : config.pipelineExecutor;
  if (choice === 'in-process') return new InProcessTaskExecutor(store);
  return new PgBossTaskExecutor(store, { ...options, connectionString: workersConnectionString(store.target) });
}

/** The PostgreSQL connection string workers and coordinators share; refuses any other store. */
export function workersConnectionString(target: StoreTarget): string {
  // pg-boss is a PostgreSQL queue: this is a requirement of the feature, not a dialect difference.
  if (target.backend !== 'postgres') {
    throw new TipsterError('TIPSTER_ERR_PIPELINE_WORKERS_NEED_POSTGRES', { target: describeStoreTarget(target) });
  }
  return target.connectionString;
}
