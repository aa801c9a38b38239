import { Command } from 'commander';
import { TipsterError } from '../../core/errors.js';
import { buildPipelineCatalogue } from '../../pipelines/builtin-pipelines.js';
import { getPipelineRun } from '../../pipelines/get-pipeline-run.js';
import { listPipelineRuns } from '../../pipelines/list-pipeline-runs.js';
import type { PipelineRunDetail, PipelineRunSummary, TaskRunRecord } from '../../pipelines/pipeline-run-record.js';
import { PIPELINE_RUN_STATUSES, type PipelineRunStatus } from '../../pipelines/pipeline-statuses.js';
import { recoverInterruptedRuns } from '../../pipelines/recover-interrupted-runs.js';
import { isLocalOwnerDead } from '../../pipelines/run-owner.js';
import { compileSchedule } from '../../pipelines/scheduler/next-fire-time.js';
import { DEFAULT_STALE_AFTER_MS } from '../../pipelines/scheduler/pipeline-scheduler.js';
import { listScheduleTicks, type ScheduleTick } from '../../pipelines/scheduler/schedule-tick-repository.js';
import type { Store } from '../../store/store.js';
import { println, withStore, type CliContext } from '../cli-context.js';
import type { CommandRunner } from '../command-runner.js';
import { formatDuration, formatInZone, formatUtc } from '../format-instant.js';
import { formatTable } from '../format-table.js';
import { parsePipelineParams } from '../pipeline-params.js';
import { createTaskExecutor } from '../../pipelines/create-task-executor.js';
import { InProcessTaskExecutor } from '../../pipelines/in-process-task-executor.js';
import { runPipelineWithProgress } from '../pipeline-progress.js';

/** One pipeline as `tipster pipeline list` shows it. */
export interface PipelineListing {
  readonly name: string;
  readonly description: string;
  readonly tasks: readonly string[];
  readonly schedule: { readonly cron: string; readonly timezone: string; readonly nextFireAtMs: number | null } | null;
  /** Scheduled runs start only when the pipeline's run condition holds. */
  readonly conditional: boolean;
  readonly lastRun: PipelineRunSummary | null;
  /** What the scheduler last decided for this pipeline, and why. */
  readonly lastScheduleDecision: ScheduleTick | null;
}

const collect = (value: string, previous: string[]) => [...previous, value];
const invalid = (option: string, reason: string) => new TipsterError('TIPSTER_ERR_CLI_INVALID_ARGUMENT', { option, reason });

/** `tipster pipeline …`: the pipelines this installation knows, running one now, and the run history. */
export function pipelineCommand(context: CliContext, run: CommandRunner): Command {
  const pipeline = new Command('pipeline').description('Pipelines (DAGs of tasks): list them, run one now, read the run history');

  pipeline
    .command('list')
    .description('Every pipeline with its tasks, schedule, next scheduled run and last run')
    .option('--json', 'print as JSON')
    .action((options: { json?: boolean }) =>
      run(async () => {
        const listing = await withStore(context, (store) => listPipelines(context, store, Date.now()));
        if (options.json) {
          println(context.stdout, JSON.stringify(listing, null, 2));
          return 0;
        }
        if (listing.length === 0) {
          println(context.stdout, 'No pipelines.');
          return 0;
        }
        println(
          context.stdout,
          formatTable<PipelineListing>(listing, [
            { header: 'pipeline', value: (p) => p.name },
            { header: 'tasks', value: (p) => p.tasks.length, align: 'right' },
            { header: 'schedule', value: (p) => (p.schedule ? `${p.schedule.cron} (${p.schedule.timezone})${p.conditional ? ' if condition' : ''}` : 'manual only') },
            { header: 'next run', value: (p) => (p.schedule?.nextFireAtMs ? formatInZone(p.schedule.nextFireAtMs, p.schedule.timezone) : null) },
            { header: 'last run', value: (p) => (p.lastRun ? `${p.lastRun.status} ${formatUtc(p.lastRun.createdAtMs)} (${p.lastRun.trigger})` : null) },
          ]),
        );
        println(context.stdout);
        for (const p of listing) {
          println(context.stdout, `${p.name}: ${p.description}\n  tasks: ${p.tasks.join(' → ')}`);
          const tick = p.lastScheduleDecision;
          if (tick) println(context.stdout, `  last scheduled time ${formatUtc(tick.scheduledAtMs)} UTC: ${tick.decision} (${tick.reason})`);
        }
        return 0;
      }),
    );

  pipeline
    .command('run')
    .description('Run a pipeline now, in this process, showing each task as it finishes (exit 1 if the run fails)')
    .argument('<name>', 'pipeline name (see `tipster pipeline list`)')
    .option('--param <key=value>', 'a run parameter; JSON values are parsed, e.g. --param leagues=\'["E0"]\' (repeatable)', collect, [])
    .option('--params-json <json>', 'all run parameters as one JSON object')
    .option('--json', 'print the finished run as JSON (progress goes to stderr)')
    .action((name: string, options: { param: string[]; paramsJson?: string; json?: boolean }) =>
      run(async () => {
        const params = parsePipelineParams(options.param, options.paramsJson);
        const out = options.json ? context.stderr : context.stdout;
        const detail = await withStore(context, async (store) => {
          const entry = buildPipelineCatalogue({ store, config: context.config, logger: context.logger }).get(name);
          // A run left by a dead process would otherwise block this one as "already running".
          const recovered = await recoverInterruptedRuns(store, { staleAfterMs: DEFAULT_STALE_AFTER_MS, now: Date.now(), ownerIsDead: isLocalOwnerDead });
          for (const r of recovered) println(out, `Recovered interrupted ${r.pipeline} run ${r.id}: marked failed`);
          println(out, `Running ${name}: ${entry.pipeline.tasks.map((t) => t.name).join(' → ')}`);
          return startManualRun(context, store, entry.pipeline, params, out);
        });
        if (options.json) println(context.stdout, JSON.stringify(detail, null, 2));
        if (detail.status !== 'succeeded') {
          println(context.stderr, `${name} run ${detail.id} ${detail.status}: ${detail.error ?? 'unknown error'}`);
          println(context.stderr, `See its tasks and logs: tipster pipeline show ${detail.id} --logs`);
          return 1;
        }
        return 0;
      }),
    );

  pipeline
    .command('runs')
    .description('Run history, newest first, with durations')
    .option('--pipeline <name>', 'only runs of this pipeline')
    .option('--status <status>', `only runs in this state: ${PIPELINE_RUN_STATUSES.join(', ')}`)
    .option('--limit <n>', 'at most this many runs, 1-1000', '20')
    .option('--json', 'print as JSON')
    .action((options: { pipeline?: string; status?: string; limit: string; json?: boolean }) =>
      run(async () => {
        const limit = Number(options.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw invalid('--limit', `"${options.limit}" is not a whole number from 1 to 1000`);
        if (options.status !== undefined && !(PIPELINE_RUN_STATUSES as readonly string[]).includes(options.status)) {
          throw invalid('--status', `"${options.status}" is not one of ${PIPELINE_RUN_STATUSES.join(', ')}`);
        }
        const runs = await withStore(context, (store) =>
          listPipelineRuns(store, {
            limit,
            ...(options.pipeline ? { pipeline: options.pipeline } : {}),
            ...(options.status ? { status: options.status as PipelineRunStatus } : {}),
          }),
        );
        if (options.json) println(context.stdout, JSON.stringify(runs, null, 2));
        else if (runs.length === 0) println(context.stdout, 'No pipeline runs match.');
        else
          println(
            context.stdout,
            formatTable<PipelineRunSummary>(runs, [
              { header: 'run', value: (r) => r.id },
              { header: 'pipeline', value: (r) => r.pipeline },
              { header: 'status', value: (r) => r.status },
              { header: 'trigger', value: (r) => r.trigger },
              { header: 'created (UTC)', value: (r) => formatUtc(r.createdAtMs) },
              { header: 'duration', value: (r) => formatDuration(r.durationMs), align: 'right' },
              { header: 'error', value: (r) => (r.error === null ? null : truncate(r.error, 60)) },
            ]),
          );
        return 0;
      }),
    );

  pipeline
    .command('show')
    .description("One run: its parameters and each task's state, attempts, duration and error; --logs adds the tasks' log lines")
    .argument('<run-id>', 'run id (from `tipster pipeline runs`)')
    .option('--logs', "include the tasks' log lines")
    .option('--json', 'print as JSON')
    .action((runId: string, options: { logs?: boolean; json?: boolean }) =>
      run(async () => {
        const detail = await withStore(context, (store) => getPipelineRun(store, runId));
        const shown = options.logs ? detail : { ...detail, tasks: detail.tasks.map(({ logs: _logs, ...task }) => task) };
        if (options.json) println(context.stdout, JSON.stringify(shown, null, 2));
        else println(context.stdout, formatRunDetail(detail, options.logs ?? false));
        return 0;
      }),
    );
  return pipeline;
}

/**
 * Starts a manual run in this process with live task lines: the one place `tipster pipeline run`
 * hands a run to the runner.
 */
export async function startManualRun(
  context: CliContext,
  store: Store,
  pipeline: Parameters<typeof runPipelineWithProgress>[2],
  params: Readonly<Record<string, unknown>>,
  out = context.stdout,
): Promise<PipelineRunDetail> {
  // TIPSTER_PIPELINE_EXECUTOR decides where the tasks run: here, or on `tipster worker` processes.
  const executor = createTaskExecutor(store, context.config, { logger: context.logger });
  if (!(executor instanceof InProcessTaskExecutor)) println(out, 'Tasks go to `tipster worker` processes (pg-boss); this process coordinates.');
  try {
    return await runPipelineWithProgress(context, store, pipeline, { params, trigger: 'manual', executor }, out);
  } finally {
    await executor.close();
  }
}

/** Every pipeline of the built-in catalogue with its next fire time after `nowMs` and its last run. */
export async function listPipelines(context: CliContext, store: Store, nowMs: number): Promise<PipelineListing[]> {
  const catalogue = buildPipelineCatalogue({ store, config: context.config, logger: context.logger });
  return Promise.all(
    catalogue.list().map(async (entry) => {
      const name = entry.pipeline.name;
      const [[lastRun], [lastTick]] = await Promise.all([
        listPipelineRuns(store, { pipeline: name, limit: 1 }),
        listScheduleTicks(store, { pipeline: name, limit: 1 }),
      ]);
      const schedule =
        entry.schedule === undefined
          ? null
          : { cron: entry.schedule.cron, timezone: entry.schedule.timezone, nextFireAtMs: compileSchedule(name, entry.schedule).nextFireAfter(nowMs) };
      return {
        name,
        description: entry.pipeline.description,
        tasks: entry.pipeline.tasks.map((t) => t.name),
        schedule,
        conditional: entry.condition !== undefined,
        lastRun: lastRun ?? null,
        lastScheduleDecision: lastTick ?? null,
      };
    }),
  );
}

/** A run as text: a header, one table row per task, and optionally every log line. */
function formatRunDetail(run: PipelineRunDetail, withLogs: boolean): string {
  const lines = [
    `run       ${run.id}`,
    `pipeline  ${run.pipeline}`,
    `status    ${run.status}`,
    `trigger   ${run.trigger} (by ${run.owner})`,
    `params    ${JSON.stringify(run.params)}`,
    `created   ${formatUtc(run.createdAtMs)} UTC`,
    `started   ${run.startedAtMs === null ? '-' : `${formatUtc(run.startedAtMs)} UTC`}`,
    `finished  ${run.finishedAtMs === null ? '-' : `${formatUtc(run.finishedAtMs)} UTC`}`,
    `duration  ${formatDuration(run.durationMs)}`,
  ];
  if (run.error !== null) lines.push(`error     ${run.error}`);
  lines.push(
    '',
    formatTable<TaskRunRecord>(run.tasks, [
      { header: 'task', value: (t) => t.task },
      { header: 'status', value: (t) => t.status },
      { header: 'attempts', value: (t) => t.attempt, align: 'right' },
      { header: 'started (UTC)', value: (t) => (t.startedAtMs === null ? null : formatUtc(t.startedAtMs)) },
      { header: 'duration', value: (t) => formatDuration(t.durationMs), align: 'right' },
      { header: 'error', value: (t) => t.error },
    ]),
  );
  if (withLogs) {
    lines.push('', 'logs:');
    const logged = run.tasks.flatMap((t) => t.logs.map((l) => ({ task: t.task, ...l })));
    if (logged.length === 0) lines.push('  (none)');
    for (const l of logged) lines.push(`  ${formatUtc(l.atMs)} ${l.task}#${l.attempt} ${l.level.padEnd(5)} ${l.message}`);
  }
  return lines.join('\n');
}

function truncate(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1)}…`;
}
