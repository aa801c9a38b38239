import type { FastifyInstance } from 'fastify';
import { Counter } from 'prom-client';
import { roleAtLeast } from '../../accounts/roles.js';
import type { Principal } from '../../accounts/user.js';
import { asOfClock, requestAsOf, type AsOfClock } from '../../football/serving/as-of.js';
import { FootballModelCache, type ServingModel } from '../../football/serving/football-model-cache.js';
import { ModelRegistry } from '../../tracking/model-registry.js';
import { TrackingStore } from '../../tracking/tracking-store.js';
import type { AppServices } from '../app-services.js';

/** What the football and betting routes share in one app: the model cache, the as-of clock, metrics. */
export interface FootballServing {
  readonly models: FootballModelCache;
  readonly clock: AsOfClock;
  /** The as-of instant of a request: the service's, or `?asOf=` when an administrator asks. */
  asOfFor(principal: Principal | null, requested: string | undefined): number;
  /** Counts predictions served, by model and version (Prometheus). */
  countServed(model: ServingModel, count?: number): void;
}

const servingByApp = new WeakMap<AppServices, FootballServing>();

/**
 * The football serving services of an app, created on first use. Keyed by the app's services object,
 * so the football and betting plugins (encapsulated siblings) share one model cache and one counter.
 */
export function footballServing(app: FastifyInstance): FootballServing {
  let serving = servingByApp.get(app.tipster);
  if (serving) return serving;
  const { store, config, now } = app.tipster;
  const models = new FootballModelCache({ store, registry: new ModelRegistry(store), tracking: new TrackingStore(store) });
  const clock = asOfClock(config.asOfMs, now);
  const served = new Counter({
    name: 'tipster_predictions_served_total',
    help: 'Match predictions served by the API, by registered model and version',
    labelNames: ['model', 'version'] as const,
    registers: [app.metrics.registry],
  });
  serving = Object.freeze({
    models,
    clock,
    asOfFor: (principal: Principal | null, requested: string | undefined) => requestAsOf(clock, requested, principal !== null && roleAtLeast(principal.role, 'admin')),
    countServed: (model: ServingModel, count = 1) => served.inc({ model: model.modelName, version: String(model.version) }, count),
  });
  servingByApp.set(app.tipster, serving);
  return serving;
}
