import { availableBackends, type Backend } from '../../support/backends.js';

/** An embedded SQLite backend, for bus suites that need a store but not every store. */
export function sqliteBackend(): Backend {
  return availableBackends().find((b) => b.name === 'sqlite')!;
}
