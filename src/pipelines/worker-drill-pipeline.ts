import os from 'node:os';
import { abortableSleep } from '../core/abortable-sleep.js';
import { TipsterError } from '../core/errors.js';
import { definePipeline, type Pipeline, type TaskContext } from './define-pipeline.js';

/** What each drill task returns: the process it ran in, and where every task before it ran. */
export interface WorkerDrillOutput {
  readonly task: string;
  /** `host:pid` of the process that ran the task (a worker names itself the same way). */
  readonly worker: string;
  /** Task name → `host:pid`, for this task and every task upstream of it. */
  readonly ranOn: Readonly<Record<string, string>>;
}

const MAX_SLEEP_MS = 600_000;

/**
 * `worker-drill`: a diagnostic pipeline that does no real work, for checking a worker fleet.
 * a → (b, c) → d → e; b and c each sleep `sleepMs` (param, default 0, honouring cancellation), so
 * with two or more workers they run on different machines at once. The last task's output maps every
 * task to the worker that ran it: `tipster pipeline run worker-drill --param sleepMs=2000`.
 */
export function workerDrillPipeline(): Pipeline {
  return definePipeline({
    name: 'worker-drill',
    description: 'Diagnostic: five no-op tasks a → (b, c) → d → e, b and c sleeping sleepMs (default 0); reports which worker ran each task',
    tasks: [
      { name: 'a', run: async (ctx) => step(ctx) },
      { name: 'b', dependsOn: ['a'], run: async (ctx) => step(ctx, sleepMsOf(ctx)) },
      { name: 'c', dependsOn: ['a'], run: async (ctx) => step(ctx, sleepMsOf(ctx)) },
      { name: 'd', dependsOn: ['b', 'c'], run: async (ctx) => step(ctx) },
      { name: 'e', dependsOn: ['d'], run: async (ctx) => step(ctx) },
    ],
  });
}

async function step(ctx: TaskContext, sleepMs = 0): Promise<WorkerDrillOutput> {
  const worker = `${os.hostname()}:${process.pid}`;
  ctx.log.info(`running on ${worker}`);
  if (sleepMs > 0) {
    ctx.log.info(`sleeping ${sleepMs} ms`);
    await abortableSleep(sleepMs, ctx.signal);
    ctx.log.info('woke up');
  }
  const ranOn: Record<string, string> = {};
  for (const output of Object.values(ctx.upstream)) Object.assign(ranOn, (output as WorkerDrillOutput).ranOn);
  ranOn[ctx.task] = worker;
  return { task: ctx.task, worker, ranOn };
}

function sleepMsOf(ctx: TaskContext): number {
  const raw = ctx.params.sleepMs ?? 0;
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_SLEEP_MS) {
    throw new TipsterError('TIPSTER_ERR_PIPELINE_OPTION_INVALID', {
      detail: `worker-drill: sleepMs must be a whole number of milliseconds from 0 to ${MAX_SLEEP_MS}, got ${JSON.stringify(raw)}`,
    });
  }
  return value;
}
