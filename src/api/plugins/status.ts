import { allMigrations } from '../../store/migrations/index.js';
import { pendingMigrationCount } from '../../store/migrate-store.js';
import { describeStoreTarget } from '../../store/store-url.js';
import { definePlugin } from '../define-plugin.js';

/** Reports one part of the system for /api/v1/status (a plain JSON object). */
export type StatusSection = () => Promise<Record<string, unknown>>;

declare module 'fastify' {
  interface FastifyInstance {
    /** Sections of /api/v1/status: capabilities add theirs (`bus`, `scheduler`, `models`). */
    statusSections: { addSection(name: string, section: StatusSection): void };
  }
}

const RESERVED = new Set(['version', 'startedAt', 'uptimeSeconds']);
const SECTION_TIMEOUT_MS = 2_000;

async function collect(section: StatusSection): Promise<Record<string, unknown>> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      section(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${SECTION_TIMEOUT_MS} ms`)), SECTION_TIMEOUT_MS);
      }),
    ]);
  } catch (error) {
    // One broken part must not hide the others: report it in its section.
    return { ok: false, error: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

/** GET /api/v1/status: version, uptime, and one section per part of the system (the store first). */
export const statusPlugin = definePlugin({ name: 'tipster-status', dependencies: ['tipster-access-control'], shared: true }, async (app) => {
  const sections = new Map<string, StatusSection>();
  app.decorate('statusSections', {
    addSection(name: string, section: StatusSection) {
      if (RESERVED.has(name) || sections.has(name)) throw new Error(`status section "${name}" is already taken`);
      sections.set(name, section);
    },
  });
  sections.set('store', async () => {
    const { store } = app.tipster;
    const pending = await pendingMigrationCount(store);
    return {
      ok: pending === 0,
      backend: store.target.backend,
      // Without credentials: describeStoreTarget redacts the password of a PostgreSQL URL.
      target: describeStoreTarget(store.target),
      migrations: { known: Object.keys(allMigrations(store.capabilities)).length, pending },
    };
  });

  app.get(
    '/api/v1/status',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['operations'],
        summary: 'State of the service: version, uptime, store, and every registered section',
        response: {
          200: {
            type: 'object',
            required: ['version', 'startedAt', 'uptimeSeconds', 'store'],
            properties: {
              version: { type: 'string' },
              startedAt: { type: 'string', format: 'date-time' },
              uptimeSeconds: { type: 'number' },
              store: { type: 'object', additionalProperties: true },
            },
            additionalProperties: { type: 'object', additionalProperties: true },
          },
        },
      },
    },
    async () => {
      const { startedAtMs, version, now } = app.tipster;
      const names = [...sections.keys()];
      const values = await Promise.all(names.map((name) => collect(sections.get(name)!)));
      return {
        version,
        startedAt: new Date(startedAtMs).toISOString(),
        uptimeSeconds: Math.round((now() - startedAtMs) / 1000),
        ...Object.fromEntries(names.map((name, i) => [name, values[i]])),
      };
    },
  );
});
