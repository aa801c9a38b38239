import { Command } from 'commander';
import { TipsterError } from '../../core/errors.js';
import { buildPipelineCatalogue } from '../../pipelines/builtin-pipelines.js';
import { workersConnectionString } from '../../pipelines/create-task-executor.js';
import { PipelineWorker, type PipelineWorkerEvent } from '../../pipelines/distributed/pipeline-worker.js';
import { describeStoreTarget, parseStoreUrl } from '../../store/store-url.js';
import { println, withStore, type CliContext } from '../cli-context.js';
import type { CommandRunner } from '../command-runner.js';
import { stopOnSignal } from '../stop-on-signal.js';

interface WorkerCommandOptions {
  concurrency: string;
  heartbeatMs: string;
  pollMs: string;
  graceMs: string;
  name?: string;
}

/** `tipster worker`: takes pipeline tasks from the PostgreSQL queue and runs them, in the foreground. */
export function workerCommand(context: CliContext, run: CommandRunner): Command {
  return new Command('worker')
    .description(
      'Run pipeline tasks sent by other processes (PostgreSQL only; start any number, on any machine); prints each task it takes; Ctrl-C stops it',
    )
    .option('--concurrency <n>', 'tasks run at once', '1')
    .option('--heartbeat-ms <ms>', 'how often the worker proves it is alive; coordinators take it for dead after 3 missed beats (at least 5 s)', '1000')
    .option('--poll-ms <ms>', 'how often an idle worker looks for tasks; a notification usually wakes it sooner', '1000')
    .option('--grace-ms <ms>', 'on SIGINT/SIGTERM, how long running tasks may finish before they are handed to another worker', '10000')
    .option('--name <name>', 'how the worker names itself in runs and output (default host:pid)')
    .action((options: WorkerCommandOptions) =>
      run(async () => {
        const concurrency = wholeNumber('--concurrency', options.concurrency, 1);
        const heartbeatIntervalMs = wholeNumber('--heartbeat-ms', options.heartbeatMs, 50);
        const pollIntervalMs = wholeNumber('--poll-ms', options.pollMs, 50);
        const graceMs = wholeNumber('--grace-ms', options.graceMs, 0);
        // Refused before opening anything: opening a SQLite URL would create the file.
        const connectionString = workersConnectionString(parseStoreUrl(context.config.databaseUrl, context.cwd));
        return withStore(context, async (store) => {
          const catalogue = buildPipelineCatalogue({ store, config: context.config, logger: context.logger });
          const out = context.stdout;
          const worker = new PipelineWorker(store, {
            connectionString,
            catalogue,
            concurrency,
            heartbeatIntervalMs,
            pollIntervalMs,
            name: options.name,
            logger: context.logger,
            onEvent: (event) => println(out, `${timestamp()}  ${describeEvent(event)}`),
          });
          await worker.start();
          const pipelines = catalogue.list().map((e) => e.pipeline.name);
          println(
            out,
            `Worker ${worker.name} (${worker.id}) takes tasks of ${pipelines.join(', ') || 'no pipeline'} ` +
              `from ${describeStoreTarget(store.target)}, ${concurrency} at a time. Ctrl-C (SIGINT) or SIGTERM stops it.`,
          );
          await untilStopped(context, worker, graceMs);
          println(out, `Worker ${worker.name} stopped.`);
          return 0;
        });
      }),
    );
}

/**
 * Resolves once the worker has stopped after SIGINT/SIGTERM: running tasks get `graceMs` to finish,
 * then are handed back. A second signal ends the process at once; coordinators then notice the
 * silent heartbeat and start its tasks again elsewhere.
 */
function untilStopped(context: CliContext, worker: PipelineWorker, graceMs: number): Promise<void> {
  return stopOnSignal({
    announce: (signal) => {
      const active = worker.activeAttempts;
      println(
        context.stdout,
        active === 0
          ? `${signal}: stopping.`
          : `${signal}: stopping; ${active} running task(s) get ${graceMs} ms to finish before they are handed to another worker (send ${signal} again to stop at once).`,
      );
    },
    stop: () => worker.stop({ graceMs }),
    forced: (signal) => println(context.stdout, `${signal} again: stopping now; coordinators will hand this worker's tasks to others.`),
  });
}

/** One line per attempt event, naming the run so an operator can look it up. */
export function describeEvent(event: PipelineWorkerEvent): string {
  if (event.type === 'skipped') return `skipped job ${event.jobId}: ${event.reason}`;
  const { job } = event;
  const what = `${job.pipeline}/${job.task} attempt ${job.attempt} of run ${job.runId}`;
  switch (event.type) {
    case 'took':
      return `took ${what}`;
    case 'finished':
      if (event.outcome === 'discarded') return `finished ${what}, but its result was discarded: the attempt had been handed to another worker`;
      return `${event.outcome} ${what} in ${(event.durationMs / 1000).toFixed(1)} s${event.error === null ? '' : `: ${event.error}`}`;
    case 'released':
      return `released ${what}: ${event.reason}`;
    case 'revoked':
      return `stopped ${what}: ${event.reason}`;
  }
}

function wholeNumber(option: string, raw: string, min: number): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min) {
    throw new TipsterError('TIPSTER_ERR_CLI_INVALID_ARGUMENT', { option, reason: `"${raw}" is not a whole number ≥ ${min}` });
  }
  return value;
}

function timestamp(): string {
  return new Date().toISOString().slice(0, 19).replace('T', ' ');
}
