import { sql } from 'kysely';
import { TipsterError } from '../../core/errors.js';
import { pendingMigrationCount } from '../../store/migrate-store.js';
import { describeStoreTarget } from '../../store/store-url.js';
import { definePlugin } from '../define-plugin.js';
import { PROBLEM_RESPONSE } from '../problem.js';

/** A readiness check: resolves when its dependency is usable, throws a (503) TipsterError when not. */
export type ReadinessCheck = () => Promise<void>;

declare module 'fastify' {
  interface FastifyInstance {
    /** Checks /readyz runs; capabilities add theirs (bus connected, models loaded). */
    readiness: { addCheck(name: string, check: ReadinessCheck): void };
  }
}

const STATUS_SCHEMA = { type: 'object', required: ['status'], properties: { status: { type: 'string' } } } as const;

/** /healthz (the process answers) and /readyz (the store is reachable and migrated, and every added check passes). */
export const healthPlugin = definePlugin({ name: 'tipster-health', dependencies: ['tipster-access-control'], shared: true }, async (app) => {
  const checks = new Map<string, ReadinessCheck>();
  app.decorate('readiness', {
    addCheck(name: string, check: ReadinessCheck) {
      if (checks.has(name)) throw new Error(`readiness check "${name}" is already registered`);
      checks.set(name, check);
    },
  });
  checks.set('store', async () => {
    const { store } = app.tipster;
    try {
      await sql`select 1`.execute(store.db);
    } catch (error) {
      throw new TipsterError('TIPSTER_ERR_STORE_UNREACHABLE', { target: describeStoreTarget(store.target), reason: 'the query failed' }, { cause: error });
    }
    const pending = await pendingMigrationCount(store);
    if (pending > 0) throw new TipsterError('TIPSTER_ERR_STORE_NOT_MIGRATED', { pending });
  });

  app.get(
    '/healthz',
    { config: { access: 'public' }, schema: { tags: ['operations'], summary: 'Liveness: the process answers', response: { 200: STATUS_SCHEMA } } },
    async () => ({ status: 'ok' }),
  );
  app.get(
    '/readyz',
    {
      config: { access: 'public' },
      schema: {
        tags: ['operations'],
        summary: 'Readiness: the store is reachable and migrated (503 problem otherwise)',
        response: { 200: STATUS_SCHEMA, '5xx': PROBLEM_RESPONSE },
      },
    },
    async () => {
      for (const check of checks.values()) await check();
      return { status: 'ready' };
    },
  );
});
