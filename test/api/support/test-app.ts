import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Logger } from 'pino';
import { buildApp, type BuildAppOptions } from '../../../src/api/build-app.js';
import { loadConfig } from '../../../src/core/config.js';
import type { Store } from '../../../src/store/store.js';
import { freshStore, type Backend } from '../../support/backends.js';

/** A clock tests move by hand. */
export interface ManualClock {
  readonly now: () => number;
  advance(ms: number): void;
}

/** Starts at a fixed instant so token times are predictable. */
export function manualClock(startMs = Date.UTC(2024, 7, 1, 12)): ManualClock {
  let t = startMs;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

export interface TestApp {
  readonly app: FastifyInstance;
  readonly store: Store;
  readonly clock: ManualClock;
  readonly varDir: string;
  close(): Promise<void>;
}

/** Tiny argon2 cost: the real one is the same code path, just slower. */
export const FAST_HASH = Object.freeze({ memoryKiB: 256, timeCost: 1, parallelism: 1 });

/** An app on a fresh migrated store of `backend`, with a manual clock and fast hashing. */
export async function startTestApp(
  backend: Backend,
  options: Partial<Omit<BuildAppOptions, 'store' | 'config' | 'now'>> & { env?: Record<string, string>; logger?: Logger } = {},
): Promise<TestApp> {
  const store = await freshStore(backend);
  const varDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tipster-api-'));
  // Pipelines the API starts run in the test process: worker processes are tested in test/pipelines.
  const config = loadConfig({ TIPSTER_VAR_DIR: varDir, TIPSTER_PIPELINE_EXECUTOR: 'in-process', ...options.env }, process.cwd());
  const clock = manualClock();
  const { env: _env, ...rest } = options;
  const app = await buildApp({ store, config, now: clock.now, passwordHashCost: FAST_HASH, defaultMetrics: false, rateLimit: false, sessionCheckMs: 0, ...rest });
  return {
    app,
    store,
    clock,
    varDir,
    close: async () => {
      await app.close();
      await store.close();
      fs.rmSync(varDir, { recursive: true, force: true });
    },
  };
}

export const GOOD_PASSWORD = 'correct horse battery staple';

/** Signs a user up through the API and returns the session JSON. */
export async function signUp(
  app: FastifyInstance,
  username: string,
  extra: { password?: string; bankroll?: { amount: string; currency?: string }; riskLevel?: string } = {},
): Promise<SessionJson> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/signup',
    payload: { username, password: extra.password ?? GOOD_PASSWORD, bankroll: extra.bankroll ?? { amount: '1000.00' }, riskLevel: extra.riskLevel ?? 'medium' },
  });
  if (response.statusCode !== 201) throw new Error(`sign-up of ${username} failed: ${response.statusCode} ${response.body}`);
  return response.json<SessionJson>();
}

/** Creates a user with `role` (sign-up, then an admin promotion straight through the accounts service). */
export async function userWithRole(app: FastifyInstance, username: string, role: 'free' | 'premium' | 'admin'): Promise<SessionJson> {
  const session = await signUp(app, username);
  if (role === 'free') return session;
  await app.tipster.accounts.admin.updateUser({ userId: null, name: 'test' }, session.user.id, { role });
  return { ...session, user: { ...session.user, role } };
}

export interface SessionJson {
  tokenType: 'Bearer';
  accessToken: string;
  expiresIn: number;
  accessTokenExpiresAt: string;
  refreshToken: string;
  refreshTokenExpiresAt: string;
  user: { id: number; username: string; role: string; bankroll: { amount: string; currency: string; minorUnits: number }; riskLevel: string; disabled: boolean };
}

/** Authorization header for a session. */
export function bearer(session: { accessToken: string }): { authorization: string } {
  return { authorization: `Bearer ${session.accessToken}` };
}

/** The problem document of an error response, checked to be one. */
export function problemOf(response: LightMyRequestResponse): { code: string; status: number; detail: string; hint: string; requestId: string; instance: string; errors?: { field: string; location: string; message: string }[] } {
  if (!String(response.headers['content-type']).startsWith('application/problem+json')) {
    throw new Error(`expected application/problem+json, got ${response.headers['content-type']}: ${response.body}`);
  }
  return response.json();
}
