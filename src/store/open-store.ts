import { openPostgresStore } from './postgres-store.js';
import { openSqliteStore } from './sqlite-store.js';
import type { Store } from './store.js';
import { parseStoreUrl } from './store-url.js';

/** Opens the store named by a database URL (`sqlite:…` or `postgres://…`). */
export async function openStore(databaseUrl: string, cwd: string = process.cwd()): Promise<Store> {
  const target = parseStoreUrl(databaseUrl, cwd);
  return target.backend === 'sqlite' ? openSqliteStore(target.filename) : openPostgresStore(target.connectionString);
}
