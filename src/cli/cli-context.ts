import type { Writable } from 'node:stream';
import type { Config } from '../core/config.js';
import type { Logger } from '../core/logger.js';
import { TipsterError } from '../core/errors.js';
import { pendingMigrationCount } from '../store/migrate-store.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';

/** What every command gets: frozen config, a logger, and the streams to write user-facing output to. */
export interface CliContext {
  readonly config: Config;
  readonly logger: Logger;
  readonly cwd: string;
  readonly stdout: Writable & { isTTY?: boolean; columns?: number };
  readonly stderr: Writable & { isTTY?: boolean };
}

/** Opens the configured store, runs `work`, and always closes it. */
export async function withStore<T>(
  context: CliContext,
  work: (store: Store) => Promise<T>,
  options: { requireMigrated?: boolean } = {},
): Promise<T> {
  const store = await openStore(context.config.databaseUrl, context.cwd);
  try {
    if (options.requireMigrated ?? true) {
      const pending = await pendingMigrationCount(store);
      if (pending > 0) throw new TipsterError('TIPSTER_ERR_STORE_NOT_MIGRATED', { pending });
    }
    return await work(store);
  } finally {
    await store.close();
  }
}

/** Writes one line of user-facing output. */
export function println(stream: Writable, text = ''): void {
  stream.write(`${text}\n`);
}
