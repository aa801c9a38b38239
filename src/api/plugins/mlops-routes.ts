import type { Logger } from 'pino';
import { TipsterError } from '../../core/errors.js';
import { buildPipelineCatalogue } from '../../pipelines/builtin-pipelines.js';
import { createTaskExecutor } from '../../pipelines/create-task-executor.js';
import { getPipelineRun } from '../../pipelines/get-pipeline-run.js';
import { listPipelineRuns } from '../../pipelines/list-pipeline-runs.js';
import type { PipelineCatalogue } from '../../pipelines/pipeline-catalogue.js';
import type { PipelineRunDetail, PipelineRunSummary } from '../../pipelines/pipeline-run-record.js';
import { PIPELINE_RUN_STATUSES, type PipelineRunStatus } from '../../pipelines/pipeline-statuses.js';
import { runPipeline } from '../../pipelines/run-pipeline.js';
import { nextFireTime } from '../../pipelines/scheduler/next-fire-time.js';
import { listScheduleTicks, listStoredSchedules } from '../../pipelines/scheduler/schedule-tick-repository.js';
import { ModelRegistry, type AliasEvent, type ModelVersion, type RegisteredModel } from '../../tracking/model-registry.js';
import { TrackingStore, type Run } from '../../tracking/tracking-store.js';
import { definePlugin } from '../define-plugin.js';
import { requirePrincipal } from '../route-access.js';

/** The stored backtest report of a football version's run (inline CSS and SVG, no scripts). */
export const BACKTEST_REPORT_ARTIFACT = 'backtest-report.html';
/** The report is shown in a sandboxed frame: nothing in it may run or load anything. */
const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox";
/** How long a trigger waits for the run record to appear before answering 202 anyway. */
const TRIGGER_WAIT_MS = 5_000;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const str = { type: 'string' } as const;
const nullableStr = { type: ['string', 'null'] } as const;
const nullableTime = { type: ['string', 'null'], format: 'date-time' } as const;
const time = { type: 'string', format: 'date-time' } as const;
const STRING_MAP = { type: 'object', additionalProperties: { type: 'string' } } as const;
const NUMBER_MAP = { type: 'object', additionalProperties: { type: 'number' } } as const;
const MODEL_NAME = { type: 'string', pattern: '^[A-Za-z0-9._-]{1,100}$' } as const;
const ALIAS = { type: 'string', pattern: '^[a-z][a-z0-9_-]{0,39}$', default: 'production' } as const;
const REASON = { type: 'string', minLength: 1, maxLength: 500, description: 'Why (kept in the alias history)' } as const;

const REGISTERED_MODEL_SCHEMA = {
  type: 'object',
  required: ['name', 'task', 'description', 'primaryMetric', 'higherIsBetter', 'createdAt', 'latestVersion', 'aliases'],
  properties: {
    name: str,
    task: str,
    description: nullableStr,
    primaryMetric: str,
    higherIsBetter: { type: 'boolean' },
    createdAt: time,
    latestVersion: { type: ['integer', 'null'] },
    aliases: { ...{ type: 'object', additionalProperties: { type: 'integer' } }, description: 'alias → version' },
    production: {
      anyOf: [
        { type: 'object', required: ['version', 'metrics'], properties: { version: { type: 'integer' }, metrics: NUMBER_MAP } },
        { type: 'null' },
      ],
    },
  },
} as const;

const VERSION_SCHEMA = {
  type: 'object',
  required: ['model', 'version', 'runId', 'description', 'createdAt', 'tags', 'aliases', 'metrics', 'hasReport'],
  properties: {
    model: str,
    version: { type: 'integer' },
    runId: str,
    description: nullableStr,
    createdAt: time,
    tags: STRING_MAP,
    aliases: { type: 'array', items: str },
    metrics: { ...NUMBER_MAP, description: "The latest value of each of the run's metrics" },
    hasReport: { type: 'boolean', description: `The run stored ${BACKTEST_REPORT_ARTIFACT}` },
  },
} as const;

const ALIAS_EVENT_SCHEMA = {
  type: 'object',
  required: ['alias', 'fromVersion', 'toVersion', 'actor', 'reason', 'at'],
  properties: { alias: str, fromVersion: { type: ['integer', 'null'] }, toVersion: { type: ['integer', 'null'] }, actor: str, reason: str, at: time },
} as const;

const RUN_SUMMARY_PROPERTIES = {
  id: str,
  pipeline: str,
  status: { type: 'string', enum: [...PIPELINE_RUN_STATUSES] },
  params: { type: 'object', additionalProperties: true },
  trigger: str,
  owner: str,
  createdAt: time,
  startedAt: nullableTime,
  finishedAt: nullableTime,
  durationMs: { type: ['integer', 'null'] },
  heartbeatAt: time,
  error: nullableStr,
} as const;
const RUN_SUMMARY_SCHEMA = { type: 'object', required: Object.keys(RUN_SUMMARY_PROPERTIES), properties: RUN_SUMMARY_PROPERTIES } as const;

const RUN_DETAIL_SCHEMA = {
  type: 'object',
  required: [...Object.keys(RUN_SUMMARY_PROPERTIES), 'tasks'],
  properties: {
    ...RUN_SUMMARY_PROPERTIES,
    tasks: {
      type: 'array',
      items: {
        type: 'object',
        required: ['task', 'status', 'attempt', 'startedAt', 'finishedAt', 'durationMs', 'error', 'logs'],
        properties: {
          task: str,
          status: str,
          attempt: { type: 'integer' },
          startedAt: nullableTime,
          finishedAt: nullableTime,
          durationMs: { type: ['integer', 'null'] },
          error: nullableStr,
          logs: {
            type: 'array',
            items: { type: 'object', required: ['attempt', 'seq', 'at', 'level', 'message'], properties: { attempt: { type: 'integer' }, seq: { type: 'integer' }, at: time, level: str, message: str } },
          },
        },
      },
    },
  },
} as const;

function registeredModelJson(m: RegisteredModel, versions: readonly ModelVersion[], productionMetrics: Readonly<Record<string, number>> | null) {
  const aliases: Record<string, number> = {};
  for (const v of versions) for (const a of v.aliases) aliases[a] = v.version;
  const production = aliases.production;
  return {
    name: m.name,
    task: m.task,
    description: m.description,
    primaryMetric: m.primaryMetric,
    higherIsBetter: m.higherIsBetter,
    createdAt: iso(m.createdAtMs)!,
    latestVersion: versions[0]?.version ?? null,
    aliases,
    production: production === undefined ? null : { version: production, metrics: productionMetrics ?? {} },
  };
}

function versionJson(v: ModelVersion, run: Run | undefined) {
  return {
    model: v.model,
    version: v.version,
    runId: v.runId,
    description: v.description,
    createdAt: iso(v.createdAtMs)!,
    tags: v.tags,
    aliases: [...v.aliases],
    metrics: run?.metrics ?? {},
    hasReport: run?.artifacts.some((a) => a.path === BACKTEST_REPORT_ARTIFACT) ?? false,
  };
}

function aliasEventJson(e: AliasEvent) {
  return { alias: e.alias, fromVersion: e.fromVersion, toVersion: e.toVersion, actor: e.actor, reason: e.reason, at: iso(e.atMs)! };
}

function runSummaryJson(r: PipelineRunSummary) {
  return {
    id: r.id,
    pipeline: r.pipeline,
    status: r.status,
    params: r.params,
    trigger: r.trigger,
    owner: r.owner,
    createdAt: iso(r.createdAtMs)!,
    startedAt: iso(r.startedAtMs),
    finishedAt: iso(r.finishedAtMs),
    durationMs: r.durationMs,
    heartbeatAt: iso(r.heartbeatAtMs)!,
    error: r.error,
  };
}

function runDetailJson(r: PipelineRunDetail) {
  return {
    ...runSummaryJson(r),
    tasks: r.tasks.map((t) => ({
      task: t.task,
      status: t.status,
      attempt: t.attempt,
      startedAt: iso(t.startedAtMs),
      finishedAt: iso(t.finishedAtMs),
      durationMs: t.durationMs,
      error: t.error,
      logs: t.logs.map((l) => ({ attempt: l.attempt, seq: l.seq, at: iso(l.atMs)!, level: l.level, message: l.message })),
    })),
  };
}

interface ModelParams {
  name: string;
}
interface VersionParams extends ModelParams {
  version: number;
}
interface PromoteBody {
  version: number;
  alias?: string;
  reason: string;
}
interface RollbackBody {
  alias?: string;
  reason?: string;
}
interface RunsQuery {
  pipeline?: string;
  status?: PipelineRunStatus;
  limit?: number;
}
interface TriggerBody {
  params?: Record<string, string | number | boolean>;
}

const MODEL_PARAMS = { type: 'object', additionalProperties: false, required: ['name'], properties: { name: MODEL_NAME } } as const;
const VERSION_PARAMS = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'version'],
  properties: { name: MODEL_NAME, version: { type: 'integer', minimum: 1 } },
} as const;

/**
 * /api/v1/models and /api/v1/pipelines: the model registry (models, versions with metrics and tags,
 * aliases and their history, stored backtest reports; admins promote and roll back, audited in the
 * alias history) and the pipelines (catalogue with schedules, run history with each task's state,
 * duration and logs; admins start a run, which runs in the background).
 */
export const mlopsRoutesPlugin = definePlugin({ name: 'tipster-mlops-routes', dependencies: ['tipster-access-control'] }, async (app) => {
  const { store, config, now } = app.tipster;
  const registry = new ModelRegistry(store, { now });
  const tracking = new TrackingStore(store, { now });
  let catalogue: PipelineCatalogue | undefined;
  // Built on first use: the catalogue wires every pipeline's code, which routes that never list pipelines do not need.
  const pipelines = () => (catalogue ??= buildPipelineCatalogue({ store, config, logger: app.log as unknown as Logger }));
  const inFlight = new Set<Promise<unknown>>();
  // Runs started here finish before the store closes (as `tipster start` finishes scheduled runs).
  app.addHook('onClose', async () => {
    await Promise.allSettled([...inFlight]);
  });

  const runOf = async (runId: string): Promise<Run | undefined> => tracking.getRun(runId).catch(() => undefined);
  const actorName = (request: Parameters<typeof requirePrincipal>[0]) => `user:${requirePrincipal(request).username}`;

  app.get(
    '/models',
    {
      config: { access: 'free' },
      schema: {
        tags: ['models'],
        summary: 'Registered models with their aliases and the production version’s metrics',
        response: { 200: { type: 'object', required: ['models'], properties: { models: { type: 'array', items: REGISTERED_MODEL_SCHEMA } } } },
      },
    },
    async () => {
      const models = await registry.listRegisteredModels();
      const out = [];
      for (const m of models) {
        const versions = await registry.listModelVersions(m.name);
        const production = versions.find((v) => v.aliases.includes('production'));
        const run = production ? await runOf(production.runId) : undefined;
        out.push(registeredModelJson(m, versions, run?.metrics ?? null));
      }
      return { models: out };
    },
  );

  app.get<{ Params: ModelParams }>(
    '/models/:name',
    {
      config: { access: 'free' },
      schema: {
        tags: ['models'],
        summary: 'One registered model: every version (newest first) with metrics, tags and aliases, and the alias history',
        params: MODEL_PARAMS,
        response: {
          200: {
            type: 'object',
            required: ['model', 'versions', 'aliasHistory'],
            properties: { model: REGISTERED_MODEL_SCHEMA, versions: { type: 'array', items: VERSION_SCHEMA }, aliasHistory: { type: 'array', items: ALIAS_EVENT_SCHEMA } },
          },
        },
      },
    },
    async (request) => {
      const model = await registry.getRegisteredModel(request.params.name);
      const versions = await registry.listModelVersions(model.name);
      const runs = new Map<string, Run | undefined>();
      for (const v of versions) runs.set(v.runId, await runOf(v.runId));
      const production = versions.find((v) => v.aliases.includes('production'));
      return {
        model: registeredModelJson(model, versions, production ? (runs.get(production.runId)?.metrics ?? null) : null),
        versions: versions.map((v) => versionJson(v, runs.get(v.runId))),
        aliasHistory: (await registry.aliasHistory(model.name)).map(aliasEventJson),
      };
    },
  );

  app.get<{ Params: VersionParams }>(
    '/models/:name/versions/:version',
    {
      config: { access: 'free' },
      schema: {
        tags: ['models'],
        summary: "One version with its run: parameters, metrics, metric histories (e.g. RPS per season) and artifacts",
        params: VERSION_PARAMS,
        response: {
          200: {
            type: 'object',
            required: ['version', 'run'],
            properties: {
              version: VERSION_SCHEMA,
              run: {
                anyOf: [
                  {
                    type: 'object',
                    required: ['id', 'name', 'status', 'startedAt', 'endedAt', 'params', 'tags', 'metrics', 'histories', 'artifacts'],
                    properties: {
                      id: str,
                      name: nullableStr,
                      status: str,
                      startedAt: time,
                      endedAt: nullableTime,
                      params: STRING_MAP,
                      tags: STRING_MAP,
                      metrics: NUMBER_MAP,
                      histories: {
                        type: 'object',
                        description: 'metric → points by step, for metrics logged at more than one step',
                        additionalProperties: { type: 'array', items: { type: 'object', required: ['step', 'value'], properties: { step: { type: 'integer' }, value: { type: 'number' } } } },
                      },
                      artifacts: {
                        type: 'array',
                        items: { type: 'object', required: ['path', 'mediaType', 'sizeBytes'], properties: { path: str, mediaType: str, sizeBytes: { type: 'integer' } } },
                      },
                    },
                  },
                  { type: 'null' },
                ],
              },
            },
          },
        },
      },
    },
    async (request) => {
      const version = await registry.getModelVersion(request.params.name, request.params.version);
      const run = await runOf(version.runId);
      if (!run) return { version: versionJson(version, undefined), run: null };
      const histories: Record<string, { step: number; value: number }[]> = {};
      for (const key of Object.keys(run.metrics)) {
        const points = await tracking.getMetricHistory(run.id, key);
        if (points.length > 1) histories[key] = points.map((p) => ({ step: p.step, value: p.value }));
      }
      return {
        version: versionJson(version, run),
        run: {
          id: run.id,
          name: run.name,
          status: run.status,
          startedAt: iso(run.startTimeMs)!,
          endedAt: iso(run.endTimeMs),
          params: run.params,
          tags: run.tags,
          metrics: run.metrics,
          histories,
          artifacts: run.artifacts.map((a) => ({ path: a.path, mediaType: a.mediaType, sizeBytes: a.sizeBytes })),
        },
      };
    },
  );

  app.get<{ Params: VersionParams }>(
    '/models/:name/versions/:version/report',
    {
      config: { access: 'free' },
      schema: {
        tags: ['models'],
        summary: 'The backtest report stored with the version’s run (HTML with inline SVG charts: cumulative RPS against the market, calibration)',
        description: 'Served with a Content-Security-Policy that allows no scripts and no network: show it in a sandboxed frame.',
        params: VERSION_PARAMS,
        produces: ['text/html'],
        response: { 200: { type: 'string', description: 'text/html' } },
      },
    },
    async (request, reply) => {
      const version = await registry.getModelVersion(request.params.name, request.params.version);
      const artifact = await tracking.getArtifact(version.runId, BACKTEST_REPORT_ARTIFACT);
      return reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('content-security-policy', REPORT_CSP)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, max-age=3600')
        .send(Buffer.from(artifact.content));
    },
  );

  app.post<{ Params: ModelParams; Body: PromoteBody }>(
    '/models/:name/promote',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['models'],
        summary: 'Point an alias (default production) at a version; recorded in the alias history with who and why',
        params: MODEL_PARAMS,
        body: { type: 'object', additionalProperties: false, required: ['version', 'reason'], properties: { version: { type: 'integer', minimum: 1 }, alias: ALIAS, reason: REASON } },
        response: { 200: VERSION_SCHEMA },
      },
    },
    async (request) => {
      const { version, alias = 'production', reason } = request.body;
      await registry.setModelAlias(request.params.name, alias, version, { actor: actorName(request), reason });
      request.log.info({ model: request.params.name, alias, modelVersion: version }, 'model alias moved');
      const moved = await registry.getModelVersion(request.params.name, version);
      return versionJson(moved, await runOf(moved.runId));
    },
  );

  app.post<{ Params: ModelParams; Body: RollbackBody }>(
    '/models/:name/rollback',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['models'],
        summary: 'Move an alias (default production) back to the version it pointed at before its last move (audited)',
        params: MODEL_PARAMS,
        body: { type: 'object', additionalProperties: false, properties: { alias: ALIAS, reason: REASON } },
        response: { 200: VERSION_SCHEMA },
      },
    },
    async (request) => {
      const { alias = 'production', reason } = request.body;
      const back = await registry.rollback(request.params.name, alias, { actor: actorName(request), ...(reason === undefined ? {} : { reason }) });
      request.log.info({ model: request.params.name, alias, modelVersion: back.version }, 'model alias rolled back');
      return versionJson(back, await runOf(back.runId));
    },
  );

  app.get(
    '/pipelines',
    {
      config: { access: 'premium' },
      schema: {
        tags: ['pipelines'],
        summary: 'The pipelines: DAG (tasks and dependencies), schedule and next fire time, last run, last scheduler decision',
        response: {
          200: {
            type: 'object',
            required: ['pipelines'],
            properties: {
              pipelines: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['name', 'description', 'tasks', 'schedule', 'lastRun', 'lastDecision'],
                  properties: {
                    name: str,
                    description: str,
                    tasks: {
                      type: 'array',
                      items: {
                        type: 'object',
                        required: ['name', 'dependsOn', 'retries', 'timeoutMs'],
                        properties: { name: str, dependsOn: { type: 'array', items: str }, retries: { type: 'integer' }, timeoutMs: { type: ['integer', 'null'] } },
                      },
                    },
                    schedule: {
                      anyOf: [
                        { type: 'object', required: ['cron', 'timezone', 'nextFireAt'], properties: { cron: str, timezone: str, nextFireAt: nullableTime, armedBy: nullableStr } },
                        { type: 'null' },
                      ],
                    },
                    lastRun: { anyOf: [RUN_SUMMARY_SCHEMA, { type: 'null' }] },
                    lastDecision: {
                      anyOf: [
                        { type: 'object', required: ['scheduledAt', 'decision', 'reason', 'runId'], properties: { scheduledAt: time, decision: str, reason: str, runId: nullableStr } },
                        { type: 'null' },
                      ],
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
    async () => {
      const stored = new Map((await listStoredSchedules(store)).map((s) => [s.pipeline, s]));
      const out = [];
      for (const entry of pipelines().list()) {
        const name = entry.pipeline.name;
        const [lastRun] = await listPipelineRuns(store, { pipeline: name, limit: 1 });
        const [tick] = await listScheduleTicks(store, { pipeline: name, limit: 1 });
        const armed = stored.get(name);
        out.push({
          name,
          description: entry.pipeline.description,
          tasks: entry.pipeline.tasks.map((t) => ({ name: t.name, dependsOn: [...t.dependsOn], retries: t.retries, timeoutMs: t.timeoutMs })),
          schedule: entry.schedule
            ? { cron: entry.schedule.cron, timezone: entry.schedule.timezone, nextFireAt: iso(nextFireTime(name, entry.schedule, now())), armedBy: armed?.owner ?? null }
            : null,
          lastRun: lastRun ? runSummaryJson(lastRun) : null,
          lastDecision: tick ? { scheduledAt: iso(tick.scheduledAtMs)!, decision: tick.decision, reason: tick.reason, runId: tick.runId } : null,
        });
      }
      return { pipelines: out };
    },
  );

  app.get<{ Querystring: RunsQuery }>(
    '/pipelines/runs',
    {
      config: { access: 'premium' },
      schema: {
        tags: ['pipelines'],
        summary: 'Run history, newest first, with durations',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            pipeline: { type: 'string', maxLength: 100 },
            status: { type: 'string', enum: [...PIPELINE_RUN_STATUSES] },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
          },
        },
        response: { 200: { type: 'object', required: ['runs'], properties: { runs: { type: 'array', items: RUN_SUMMARY_SCHEMA } } } },
      },
    },
    async (request) => {
      const { pipeline, status, limit = 50 } = request.query;
      const runs = await listPipelineRuns(store, { limit, ...(pipeline === undefined ? {} : { pipeline }), ...(status === undefined ? {} : { status }) });
      return { runs: runs.map(runSummaryJson) };
    },
  );

  app.get<{ Params: { runId: string } }>(
    '/pipelines/runs/:runId',
    {
      config: { access: 'premium' },
      schema: {
        tags: ['pipelines'],
        summary: "One run: each task's state, attempts, duration, error and log lines",
        params: { type: 'object', additionalProperties: false, required: ['runId'], properties: { runId: { type: 'string', minLength: 1, maxLength: 64 } } },
        response: { 200: RUN_DETAIL_SCHEMA },
      },
    },
    async (request) => runDetailJson(await getPipelineRun(store, request.params.runId)),
  );

  app.post<{ Params: { name: string }; Body: TriggerBody }>(
    '/pipelines/:name/runs',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['pipelines'],
        summary: 'Start a run now; it runs in the background (follow it at /pipelines/runs/{runId})',
        description: 'Answers 202 with the run id once the run is recorded. 409 TIPSTER_ERR_PIPELINE_ALREADY_RUNNING when the pipeline already has an active run.',
        params: { type: 'object', additionalProperties: false, required: ['name'], properties: { name: { type: 'string', minLength: 1, maxLength: 100 } } },
        body: {
          type: 'object',
          additionalProperties: false,
          properties: { params: { type: 'object', maxProperties: 20, additionalProperties: { type: ['string', 'number', 'boolean'] }, description: 'Run parameters, e.g. {"leagues": "E0"}' } },
        },
        response: {
          202: { type: 'object', required: ['runId', 'pipeline', 'status'], properties: { runId: str, pipeline: str, status: str } },
        },
      },
    },
    async (request, reply) => {
      const entry = pipelines().get(request.params.name);
      const pipeline = entry.pipeline;
      // The run id is made inside runPipeline: a unique owner lets us find the record it writes first.
      const owner = `api:${request.id}`;
      const executor = createTaskExecutor(store, config, { logger: app.log as unknown as Logger });
      const run = runPipeline(store, pipeline, { params: request.body.params ?? {}, trigger: `api:${requirePrincipal(request).username}`, owner, executor }).finally(() => executor.close());
      const tracked = run.catch((error: unknown) => {
        if (!(error instanceof TipsterError && error.code === 'TIPSTER_ERR_PIPELINE_ALREADY_RUNNING')) app.log.error({ err: error, pipeline: pipeline.name }, 'pipeline run started from the API failed');
      });
      inFlight.add(tracked);
      void tracked.finally(() => inFlight.delete(tracked));

      const deadline = Date.now() + TRIGGER_WAIT_MS;
      let failed: unknown;
      run.catch((error: unknown) => {
        failed = error;
      });
      for (;;) {
        const row = await store.db.selectFrom('pipeline_runs').select(['id', 'status']).where('owner', '=', owner).executeTakeFirst();
        if (row) {
          request.log.info({ runId: row.id, pipeline: pipeline.name }, 'pipeline run started');
          return reply.code(202).send({ runId: row.id, pipeline: pipeline.name, status: row.status });
        }
        if (failed !== undefined) throw failed;
        if (Date.now() > deadline) throw new TipsterError('TIPSTER_ERR_API_INTERNAL', {});
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  );
});
