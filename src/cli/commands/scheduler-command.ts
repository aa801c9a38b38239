import { Command } from 'commander';
import { buildPipelineCatalogue } from '../../pipelines/builtin-pipelines.js';
import { isLocalOwnerDead } from '../../pipelines/run-owner.js';
import { PipelineScheduler, type ScheduleState } from '../../pipelines/scheduler/pipeline-scheduler.js';
import type { ScheduleTick } from '../../pipelines/scheduler/schedule-tick-repository.js';
import { println, withStore, type CliContext } from '../cli-context.js';
import type { CommandRunner } from '../command-runner.js';
import { stopOnSignal } from '../stop-on-signal.js';
import { formatDuration, formatInZone, formatUtc } from '../format-instant.js';
import { formatTable } from '../format-table.js';
import { createTaskExecutor } from '../../pipelines/create-task-executor.js';
import { cliPipelineRunner } from '../pipeline-runner.js';

/** `tipster scheduler`: runs the built-in pipelines on their schedules, in the foreground. */
export function schedulerCommand(context: CliContext, run: CommandRunner): Command {
  return new Command('scheduler')
    .description(
      'Run scheduled pipelines at their cron times in the foreground (never two runs of one pipeline at once, even with several schedulers); prints every decision; Ctrl-C stops',
    )
    .action(() =>
      run(() =>
        withStore(context, async (store) => {
          const catalogue = buildPipelineCatalogue({ store, config: context.config, logger: context.logger });
          const out = context.stdout;
          const executor = createTaskExecutor(store, context.config, { logger: context.logger });
          const scheduler = new PipelineScheduler({
            store,
            catalogue,
            runner: cliPipelineRunner(store, executor),
            logger: context.logger,
            ownerIsDead: isLocalOwnerDead,
            onDecision: (tick) => println(out, describeDecision(tick)),
            onRunFinished: (r) =>
              println(out, `${formatUtc(Date.now())}  ${r.pipeline}: run ${r.id} ${r.status} in ${formatDuration(r.durationMs)}${r.error ? ` (${r.error})` : ''}`),
          });
          const schedules = scheduler.schedules();
          if (schedules.length === 0) {
            println(out, 'No pipeline has a schedule: nothing to do.');
            await executor.close();
            return 0;
          }
          println(out, formatSchedules(schedules));
          // Listen for the stop signals before saying so: a supervisor may send one as soon as it reads the line.
          const stopped = untilStopped(context, scheduler);
          scheduler.start();
          println(out, `\nScheduler ${scheduler.owner} running. Ctrl-C (SIGINT) or SIGTERM stops it.`);
          try {
            await stopped;
          } finally {
            await executor.close();
          }
          println(out, 'Scheduler stopped.');
          return 0;
        }),
      ),
    );
}

/**
 * Resolves once the scheduler has stopped after SIGINT/SIGTERM, letting runs it started finish. A
 * second signal ends the process at once; its unfinished runs are then failed by recovery once their
 * heartbeat goes stale.
 */
function untilStopped(context: CliContext, scheduler: PipelineScheduler): Promise<void> {
  return stopOnSignal({
    announce: (signal) => {
      const active = scheduler.activeRunCount;
      println(
        context.stdout,
        active === 0
          ? `${signal}: stopping.`
          : `${signal}: stopping; waiting for ${active} running run(s) to finish (send ${signal} again to stop at once).`,
      );
    },
    stop: () => scheduler.stop(),
    forced: (signal) => println(context.stdout, `${signal} again: stopping now; unfinished runs will be marked interrupted by the next scheduler or run.`),
  });
}

function formatSchedules(schedules: readonly ScheduleState[]): string {
  return formatTable<ScheduleState>(schedules, [
    { header: 'pipeline', value: (s) => s.pipeline },
    { header: 'cron', value: (s) => s.cron },
    { header: 'time zone', value: (s) => s.timezone },
    { header: 'next run', value: (s) => (s.nextFireAtMs === null ? 'never' : formatInZone(s.nextFireAtMs, s.timezone)) },
  ]);
}

/** One line per decision: when it was due, what happened, to which run, and why. */
function describeDecision(tick: ScheduleTick): string {
  const run = tick.runId === null ? '' : ` run ${tick.runId}`;
  return `${formatUtc(tick.scheduledAtMs)}  ${tick.pipeline}: ${tick.decision}${run}: ${tick.reason}`;
}
