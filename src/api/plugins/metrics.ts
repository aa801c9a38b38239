import { Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { definePlugin } from '../define-plugin.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** This app's Prometheus registry: capabilities add their counters and histograms here. */
    metrics: { readonly registry: Registry };
  }
}

const LATENCY_BUCKETS_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * Prometheus metrics at /metrics: request latency per route pattern (never the raw URL, which would
 * explode the label set), method and status, plus Node's process metrics. One registry per app, so
 * two apps in one process (tests) do not share series.
 */
export const metricsPlugin = definePlugin<{ defaultMetrics: boolean }>(
  { name: 'tipster-metrics', dependencies: ['tipster-access-control'], shared: true },
  async (app, options) => {
    const registry = new Registry();
    if (options.defaultMetrics) collectDefaultMetrics({ register: registry });
    const latency = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by route pattern, method and status code',
      labelNames: ['method', 'route', 'status_code'] as const,
      buckets: LATENCY_BUCKETS_SECONDS,
      registers: [registry],
    });
    app.decorate('metrics', { registry });

    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      latency.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
    });

    app.get(
      '/metrics',
      {
        config: { access: 'public' },
        schema: { tags: ['operations'], summary: 'Prometheus metrics (text exposition format)', response: { 200: { type: 'string' } } },
      },
      async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()),
    );
  },
);
