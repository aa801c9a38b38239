import { ModelRegistry, type AliasEvent, type ModelVersion, type RegisteredModel } from '../../tracking/model-registry.js';
import { TrackingStore, type Run } from '../../tracking/tracking-store.js';
import { definePlugin } from '../define-plugin.js';
import { requirePrincipal } from '../route-access.js';
import { str, nullableStr, time, nullableTime, STRING_MAP, NUMBER_MAP, isoOrNull } from '../schemas/json-schema-atoms.js';

/** The stored backtest report of a football version's run (inline CSS and SVG, no scripts). */
export const BACKTEST_REPORT_ARTIFACT = 'backtest-report.html';
/** The report is shown in a sandboxed frame: nothing in it may run or load anything. */
const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox";

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
    createdAt: isoOrNull(m.createdAtMs)!,
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
    createdAt: isoOrNull(v.createdAtMs)!,
    tags: v.tags,
    aliases: [...v.aliases],
    metrics: run?.metrics ?? {},
    hasReport: run?.artifacts.some((a) => a.path === BACKTEST_REPORT_ARTIFACT) ?? false,
  };
}

function aliasEventJson(e: AliasEvent) {
  return { alias: e.alias, fromVersion: e.fromVersion, toVersion: e.toVersion, actor: e.actor, reason: e.reason, at: isoOrNull(e.atMs)! };
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

const MODEL_PARAMS = { type: 'object', additionalProperties: false, required: ['name'], properties: { name: MODEL_NAME } } as const;
const VERSION_PARAMS = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'version'],
  properties: { name: MODEL_NAME, version: { type: 'integer', minimum: 1 } },
} as const;


/**
 * /api/v1/models: the model registry (models, versions with metrics and tags, aliases and their
 * history, stored backtest reports); admins promote and roll back, audited in the alias history.
 */
export const registryRoutesPlugin = definePlugin({ name: 'tipster-registry-routes', dependencies: ['tipster-access-control'] }, async (app) => {
  const { store, now } = app.tipster;
  const registry = new ModelRegistry(store, { now });
  const tracking = new TrackingStore(store, { now });
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
          startedAt: isoOrNull(run.startTimeMs)!,
          endedAt: isoOrNull(run.endTimeMs),
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
});
