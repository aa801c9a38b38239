import type { FastifyInstance } from 'fastify';
import { Counter, Gauge } from 'prom-client';
import { listScheduleTicks, listStoredSchedules } from '../../pipelines/scheduler/schedule-tick-repository.js';
import { football1x2ModelName } from '../../football/training/football-1x2-task.js';
import type { AppServices } from '../app-services.js';
import { definePlugin } from '../define-plugin.js';
import { footballServing } from './football-serving.js';

const liveCounters = new WeakMap<AppServices, Counter<'type'>>();

/**
 * The live events counter of an app (`tipster_live_events_total{type}`), registered here so the
 * metric exists from the first scrape; the live capability increments it for each event it applies.
 */
export function liveEventsCounter(app: FastifyInstance): Counter<'type'> {
  let counter = liveCounters.get(app.tipster);
  if (!counter) {
    counter = new Counter({ name: 'tipster_live_events_total', help: 'Live match events applied, by event type', labelNames: ['type'] as const, registers: [app.metrics.registry] });
    liveCounters.set(app.tipster, counter);
  }
  return counter;
}

/**
 * Operations of the prediction service: Prometheus gauges read from the store at scrape time
 * (pipeline runs by status, their durations, the last success of each pipeline, models loaded),
 * the live events counter, and the `scheduler` and `models` sections of /api/v1/status.
 */
export const footballOperationsPlugin = definePlugin(
  { name: 'tipster-football-operations', dependencies: ['tipster-metrics', 'tipster-status'] },
  async (app) => {
    const { store } = app.tipster;
    const serving = footballServing(app);
    const registry = app.metrics.registry;
    liveEventsCounter(app);

    // Read the store at most once per scrape, whichever gauge asks first.
    let cached: { atMs: number; rows: Promise<RunAggregate[]> } | undefined;
    const aggregates = (): Promise<RunAggregate[]> => {
      const nowMs = Date.now();
      if (!cached || nowMs - cached.atMs > 1_000) cached = { atMs: nowMs, rows: readRunAggregates() };
      return cached.rows;
    };
    interface RunAggregate {
      pipeline: string;
      status: string;
      runs: number;
      durationSeconds: number;
      lastFinishedAtMs: number | null;
    }
    async function readRunAggregates(): Promise<RunAggregate[]> {
      const rows = await store.db
        .selectFrom('pipeline_runs')
        .select((eb) => [
          'pipeline',
          'status',
          eb.fn.countAll<number>().as('runs'),
          eb.fn.sum<number>(eb('finished_at_ms', '-', eb.ref('started_at_ms'))).as('duration_ms'),
          eb.fn.max('finished_at_ms').as('last_finished_ms'),
        ])
        .groupBy(['pipeline', 'status'])
        .execute();
      return rows.map((r) => ({
        pipeline: r.pipeline,
        status: r.status,
        runs: Number(r.runs),
        durationSeconds: Number(r.duration_ms ?? 0) / 1000,
        lastFinishedAtMs: r.last_finished_ms === null ? null : Number(r.last_finished_ms),
      }));
    }

    new Gauge({
      name: 'tipster_pipeline_runs',
      help: 'Pipeline runs in the store, by pipeline and status',
      labelNames: ['pipeline', 'status'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        for (const a of await aggregates()) this.set({ pipeline: a.pipeline, status: a.status }, a.runs);
      },
    });
    new Gauge({
      name: 'tipster_pipeline_run_duration_seconds_sum',
      help: 'Total duration of finished pipeline runs (start to finish), by pipeline and status; divide by tipster_pipeline_runs for the mean',
      labelNames: ['pipeline', 'status'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        for (const a of await aggregates()) if (a.status === 'succeeded' || a.status === 'failed') this.set({ pipeline: a.pipeline, status: a.status }, a.durationSeconds);
      },
    });
    new Gauge({
      name: 'tipster_pipeline_last_success_timestamp_seconds',
      help: 'When the last successful run of each pipeline finished (Unix seconds)',
      labelNames: ['pipeline'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        for (const a of await aggregates()) if (a.status === 'succeeded' && a.lastFinishedAtMs !== null) this.set({ pipeline: a.pipeline }, a.lastFinishedAtMs / 1000);
      },
    });
    new Gauge({
      name: 'tipster_serving_models_loaded',
      help: 'Fitted production models held by this process (league x version x as-of day)',
      registers: [registry],
      async collect() {
        this.set((await serving.models.loaded()).length);
      },
    });

    app.statusSections.addSection('scheduler', async () => {
      const schedules = await listStoredSchedules(store);
      const ticks = await listScheduleTicks(store, { limit: 20 });
      return {
        ok: true,
        schedules: schedules.map((s) => ({
          pipeline: s.pipeline,
          cron: s.cron,
          timezone: s.timezone,
          nextFireAt: s.nextFireAtMs === null ? null : new Date(s.nextFireAtMs).toISOString(),
          owner: s.owner,
          updatedAt: new Date(s.updatedAtMs).toISOString(),
        })),
        recentDecisions: ticks.map((t) => ({
          pipeline: t.pipeline,
          scheduledAt: new Date(t.scheduledAtMs).toISOString(),
          decision: t.decision,
          reason: t.reason,
          runId: t.runId,
        })),
      };
    });

    app.statusSections.addSection('models', async () => {
      const competitions = await store.db.selectFrom('competitions').select('code').where('sport', '=', 'football').orderBy('code').execute();
      const production = await store.db
        .selectFrom('model_aliases')
        .select(['model_name', 'version'])
        .where('alias', '=', 'production')
        .where(
          'model_name',
          'in',
          competitions.length === 0 ? ['-'] : competitions.map((c) => football1x2ModelName(c.code)),
        )
        .execute();
      return {
        ok: true,
        asOf: new Date(serving.clock.nowMs()).toISOString(),
        asOfPinned: serving.clock.pinned,
        production: production.map((p) => ({ model: p.model_name, version: p.version })),
        loaded: await serving.models.loaded(),
      };
    });
  },
);
