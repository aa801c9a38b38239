import type { ApiPlugin } from './define-plugin.js';
import type { AuthRateLimit } from './plugins/auth-routes.js';
import { adminUserRoutesPlugin } from './plugins/admin-user-routes.js';
import { authRoutesPlugin } from './plugins/auth-routes.js';
import { meRoutesPlugin } from './plugins/me-routes.js';
import { bettingRoutesPlugin } from './plugins/betting-routes.js';
import { footballRoutesPlugin } from './plugins/football-routes.js';
import { pipelineRoutesPlugin } from './plugins/pipeline-routes.js';
import { registryRoutesPlugin } from './plugins/registry-routes.js';
import { nbaRoutesPlugin } from './plugins/nba-routes.js';
import { liveRoutesPlugin } from './plugins/live-routes.js';
import { footballOperationsPlugin } from './plugins/football-operations.js';

/** Options every capability plugin receives. */
export interface CapabilityOptions extends Record<string, unknown> {
  /** Limit for routes that check a password (sign-in, token, password change), or false in tests. */
  readonly rateLimit: AuthRateLimit | false;
}

/**
 * The capability plugins mounted under /api/v1, in registration order. To add a capability,
 * write `src/api/plugins/<capability>-routes.ts` with definePlugin and append it here.
 */
export const CAPABILITY_PLUGINS: readonly ApiPlugin<CapabilityOptions>[] = [authRoutesPlugin, meRoutesPlugin, adminUserRoutesPlugin, footballRoutesPlugin, bettingRoutesPlugin, footballOperationsPlugin, liveRoutesPlugin, registryRoutesPlugin, pipelineRoutesPlugin, nbaRoutesPlugin];
