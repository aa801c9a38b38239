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
import { definePlugin } from '../define-plugin.js';
import { requirePrincipal } from '../route-access.js';
import { str, nullableStr, time, nullableTime, isoOrNull } from '../schemas/json-schema-atoms.js';

/** How long a trigger waits for the run record to appear before answering 202 anyway. */
const TRIGGER_WAIT_MS = 5_000;

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

function runSummaryJson(r: PipelineRunSummary) {
  return {
    id: r.id,
    pipeline: r.pipeline,
    status: r.status,
    params: r.params,
    trigger: r.trigger,
    owner: r.owner,
    createdAt: isoOrNull(r.createdAtMs)!,
    startedAt: isoOrNull(r.startedAtMs),
    finishedAt: isoOrNull(r.finishedAtMs),
    durationMs: r.durationMs,
    heartbeatAt: isoOrNull(r.heartbeatAtMs)!,
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
      startedAt: isoOrNull(t.startedAtMs),
      finishedAt: isoOrNull(t.finishedAtMs),
      durationMs: t.durationMs,
      error: t.error,
      logs: t.logs.map((l) => ({ attempt: l.attempt, seq: l.seq, at: isoOrNull(l.atMs)!, level: l.level, message: l.message })),
    })),
  };
}

interface RunsQuery {
  pipeline?: string;
  status?: PipelineRunStatus;
  limit?: number;
}
interface TriggerBody {
  params?: Record<string, string | number | boolean>;
}


/**
 * /api/v1/pipelines: the catalogue with schedules, the run history with each task's state, duration
 * and logs; admins start a run, which runs in the background.
 */
export const pipelineRoutesPlugin = definePlugin({ name: 'tipster-pipeline-routes', dependencies: ['tipster-access-control'] }, async (app) => {
  const { store, config, now } = app.tipster;
  let catalogue: PipelineCatalogue | undefined;
  // Built on first use: the catalogue wires every pipeline's code, which routes that never list pipelines do not need.
  const pipelines = () => (catalogue ??= buildPipelineCatalogue({ store, config, logger: app.log as unknown as Logger }));
  const inFlight = new Set<Promise<unknown>>();
  // Runs started here finish before the store closes (as `tipster start` finishes scheduled runs).
  app.addHook('onClose', async () => {
    await Promise.allSettled([...inFlight]);
  });


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
            ? { cron: entry.schedule.cron, timezone: entry.schedule.timezone, nextFireAt: isoOrNull(nextFireTime(name, entry.schedule, now())), armedBy: armed?.owner ?? null }
            : null,
          lastRun: lastRun ? runSummaryJson(lastRun) : null,
          lastDecision: tick ? { scheduledAt: isoOrNull(tick.scheduledAtMs)!, decision: tick.decision, reason: tick.reason, runId: tick.runId } : null,
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
