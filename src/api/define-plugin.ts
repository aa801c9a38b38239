import type { FastifyInstance, FastifyPluginAsync } from 'fastify';

/** A Fastify plugin carrying its name and the plugins it needs (checked by Fastify at registration). */
export type ApiPlugin<Options extends Record<string, unknown> = Record<string, unknown>> = FastifyPluginAsync<Options>;

/**
 * Names a plugin and declares what it depends on, as fastify-plugin does (same symbols, no extra package).
 * `shared: true` plugins decorate the root instance (their hooks, decorators and error handler apply to
 * every route); others are encapsulated, which is right for a capability's routes.
 */
export function definePlugin<Options extends Record<string, unknown> = Record<string, unknown>>(
  meta: { readonly name: string; readonly dependencies?: readonly string[]; readonly shared?: boolean },
  plugin: (app: FastifyInstance, options: Options) => Promise<void>,
): ApiPlugin<Options> {
  const fn = plugin as ApiPlugin<Options> & Record<symbol, unknown>;
  fn[Symbol.for('skip-override')] = meta.shared === true;
  fn[Symbol.for('fastify.display-name')] = meta.name;
  fn[Symbol.for('plugin-meta')] = { name: meta.name, dependencies: [...(meta.dependencies ?? [])] };
  return fn;
}
