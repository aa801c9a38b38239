import type { Accounts } from '../accounts/accounts.js';
import type { Config } from '../core/config.js';
import type { Store } from '../store/store.js';

/** What capability plugins get from the composition root (as `app.tipster`). */
export interface AppServices {
  readonly store: Store;
  readonly config: Config;
  readonly accounts: Accounts;
  /** Wall-clock time (epoch ms): token expiry, lockout, audit times. */
  readonly now: () => number;
  readonly startedAtMs: number;
  /** Tipster's version (package.json). */
  readonly version: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    tipster: AppServices;
  }
}
