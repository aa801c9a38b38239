import { buildApp } from '../api/build-app.js';
import { startLiveDemo, type LiveDemo } from '../live/live-demo.js';
import { productionModelRates } from '../live/production-rates.js';
import { createTaskExecutor } from '../pipelines/create-task-executor.js';
import { InProcessTaskExecutor } from '../pipelines/in-process-task-executor.js';
import { buildPipelineCatalogue } from '../pipelines/builtin-pipelines.js';
import { isLocalOwnerDead } from '../pipelines/run-owner.js';
import { PipelineScheduler } from '../pipelines/scheduler/pipeline-scheduler.js';
import type { Store } from '../store/store.js';
import { println, type CliContext } from './cli-context.js';
import { cliPipelineRunner } from './pipeline-runner.js';

/** What runs beside the HTTP API in one process. */
export interface ServeOptions {
  readonly port: number;
  readonly host: string;
  /** Also run pipelines on their schedules in this process (what `tipster start` does). */
  readonly scheduler: boolean;
  /**
   * Also play simulated matches on the live bus (what `tipster start` does): three at a time between
   * teams of the bundled leagues, a match in about 95 seconds, one after another until stopped.
   */
  readonly liveDemo?: boolean;
}

/** Resolves on the first SIGINT or SIGTERM. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/**
 * Serves the API (and optionally the scheduler) on a migrated store until SIGINT/SIGTERM, then
 * stops in order: no new scheduled runs, requests in flight finished, runs in flight finished.
 * On a store without an administrator it creates one and prints the password once, on stdout.
 */
export async function serveUntilSignal(context: CliContext, store: Store, options: ServeOptions): Promise<void> {
  const app = await buildApp({ store, config: context.config, logger: context.logger });
  // The all-in-one process runs scheduled tasks itself unless workers are asked for explicitly:
  // `auto` would send them to worker processes a one-machine install does not have.
  const executor = !options.scheduler
    ? undefined
    : context.config.pipelineExecutor === 'workers'
      ? createTaskExecutor(store, context.config, { logger: context.logger })
      : new InProcessTaskExecutor(store);
  let scheduler: PipelineScheduler | undefined;
  let demo: LiveDemo | undefined;
  try {
    const first = await app.tipster.accounts.admin.ensureFirstAdmin();
    if (first.status === 'created') {
      // stdout, once: never the log, which may be shipped elsewhere.
      println(context.stdout, `First start: created administrator "${first.username}" with password ${first.password}`);
      println(context.stdout, 'It is shown only this once. Sign in and change it with POST /api/v1/me/password.');
    } else if (first.status === 'username-taken') {
      println(context.stdout, 'No active administrator: create one with `tipster users create-admin --username NAME`.');
    }
    if (executor) {
      scheduler = new PipelineScheduler({
        store,
        catalogue: buildPipelineCatalogue({ store, config: context.config, logger: context.logger }),
        runner: cliPipelineRunner(store, executor),
        logger: context.logger,
        ownerIsDead: isLocalOwnerDead,
      });
      scheduler.start();
      const next = scheduler
        .schedules()
        .map((s) => `${s.pipeline} ${s.nextFireAtMs === null ? 'never' : new Date(s.nextFireAtMs).toISOString().slice(0, 16).replace('T', ' ')} UTC`)
        .join(', ');
      println(context.stdout, `Scheduler running: next ${next || 'nothing scheduled'}`);
    }
    const address = await app.listen({ port: options.port, host: options.host });
    println(context.stdout, `Tipster API listening on ${address} (dashboard: ${address}/, docs: ${address}/docs, metrics: ${address}/metrics)`);
    if (options.liveDemo) {
      demo = await startLiveDemo({ store, bus: app.live.bus, rates: productionModelRates(store), logger: context.logger });
      println(context.stdout, `Live demo: simulated matches at ${address}/api/v1/live/matches (stream: /api/v1/live/stream)`);
    }
    const signal = await untilSignal();
    println(context.stdout, `${signal}: stopping (finishing requests and runs in flight)…`);
  } finally {
    await demo?.stop();
    await scheduler?.stop();
    await app.close();
    await executor?.close();
  }
}
