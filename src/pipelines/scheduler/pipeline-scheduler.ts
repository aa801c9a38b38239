import os from 'node:os';
import { isTipsterError, TipsterError } from '../../core/errors.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import type { Store } from '../../store/store.js';
import type { Pipeline } from '../define-pipeline.js';
import type { CatalogueEntry, PipelineCatalogue } from '../pipeline-catalogue.js';
import type { PipelineRunDetail } from '../pipeline-run-record.js';
import { recoverInterruptedRuns } from '../recover-interrupted-runs.js';
import type { RunPipelineOptions } from '../run-pipeline.js';
import { compileSchedule, type CompiledSchedule } from './next-fire-time.js';
import type { ScheduleDecision } from './schedule-decisions.js';
import { ScheduleTickRepository, type ScheduleTick } from './schedule-tick-repository.js';

/**
 * Runs one pipeline to its end. The scheduler and the CLI are both handed one, so the composition
 * root decides in one place how runs execute (in this process, or on workers).
 */
export type PipelineRunner = (pipeline: Pipeline, options: RunPipelineOptions) => Promise<PipelineRunDetail>;

/** Arms a one-shot timer and returns the function that cancels it. */
export type ArmTimer = (delayMs: number, fire: () => void) => () => void;

/** A schedule and when it fires next, as this scheduler sees it. */
export interface ScheduleState {
  readonly pipeline: string;
  readonly cron: string;
  readonly timezone: string;
  /** Null when the pattern never fires again. */
  readonly nextFireAtMs: number | null;
}

/** What a scheduler is built from. */
export interface PipelineSchedulerOptions {
  readonly store: Store;
  readonly catalogue: PipelineCatalogue;
  readonly runner: PipelineRunner;
  readonly logger?: Logger;
  /** Clock for fire times, decisions and the runs started (default `Date.now`). */
  readonly now?: () => number;
  /** Names this scheduler in decisions and in the runs it starts (default `host:pid`). */
  readonly owner?: string;
  /** A queued or running run silent for this long is failed before each tick (default 60 000 ms). */
  readonly staleAfterMs?: number;
  /** Says for sure that a run's owner process is gone, so its runs are failed without waiting (see recoverInterruptedRuns). */
  readonly ownerIsDead?: (owner: string) => boolean;
  /** Replaceable so tests fire ticks without waiting for real cron times (default `setTimeout`). */
  readonly timer?: ArmTimer;
  /** Told about every decision, once it is recorded. */
  readonly onDecision?: (tick: ScheduleTick) => void;
  /** Told when a run this scheduler started has finished (succeeded or failed). */
  readonly onRunFinished?: (run: PipelineRunDetail) => void;
}

/** Default staleness window for recovery: twelve of the runner's default 5 s heartbeats. */
export const DEFAULT_STALE_AFTER_MS = 60_000;
/** Node timers overflow past 2^31 − 1 ms (about 24.8 days); longer waits are taken in steps. */
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;
/** How often a tick looks for the run it just started until the runner reports back. */
const RUN_ID_POLL_MS = 10;

const defaultTimer: ArmTimer = (delayMs, fire) => {
  const timer = setTimeout(fire, delayMs);
  return () => clearTimeout(timer);
};

/**
 * Starts scheduled pipeline runs at their cron times (time-zone aware, via croner) and records why
 * each fire time did or did not start a run. On each tick it first fails runs whose process died,
 * then skips when the pipeline still has an active run, then checks the run condition, then claims
 * the fire time and starts the run. No two runs of one pipeline overlap even across several
 * schedulers: the database's unique indexes decide, and the loser records `skipped_overlap`.
 * Fire times missed while the process was down or busy are skipped, not caught up.
 */
export class PipelineScheduler {
  readonly #store: Store;
  readonly #catalogue: PipelineCatalogue;
  readonly #runner: PipelineRunner;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #owner: string;
  readonly #staleAfterMs: number;
  readonly #ownerIsDead: ((owner: string) => boolean) | undefined;
  readonly #timer: ArmTimer;
  readonly #onDecision: (tick: ScheduleTick) => void;
  readonly #onRunFinished: (run: PipelineRunDetail) => void;
  readonly #ticks: ScheduleTickRepository;
  readonly #schedules: ReadonlyMap<string, CompiledSchedule>;
  readonly #nextFireAtMs = new Map<string, number | null>();
  readonly #cancelTimers = new Map<string, () => void>();
  /** Ticks and schedule writes under way: stop() waits for them before the store may close. */
  readonly #pending = new Set<Promise<unknown>>();
  /** Runs this scheduler started that have not finished. */
  readonly #runs = new Set<Promise<unknown>>();
  #started = false;
  #stopped = false;

  /** Checks every schedule of the catalogue (pattern and time zone) before anything runs. */
  constructor(options: PipelineSchedulerOptions) {
    this.#store = options.store;
    this.#catalogue = options.catalogue;
    this.#runner = options.runner;
    this.#logger = options.logger ?? silentLogger();
    this.#now = options.now ?? Date.now;
    this.#owner = options.owner ?? `${os.hostname()}:${process.pid}`;
    this.#staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
    if (!(Number.isFinite(this.#staleAfterMs) && this.#staleAfterMs > 0)) {
      throw new TipsterError('TIPSTER_ERR_PIPELINE_OPTION_INVALID', {
        detail: `staleAfterMs must be a finite number > 0, got ${this.#staleAfterMs}`,
      });
    }
    this.#ownerIsDead = options.ownerIsDead;
    this.#timer = options.timer ?? defaultTimer;
    this.#onDecision = options.onDecision ?? (() => undefined);
    this.#onRunFinished = options.onRunFinished ?? (() => undefined);
    this.#ticks = new ScheduleTickRepository(options.store);
    const schedules = new Map<string, CompiledSchedule>();
    for (const entry of options.catalogue.list()) {
      if (entry.schedule !== undefined) schedules.set(entry.pipeline.name, compileSchedule(entry.pipeline.name, entry.schedule));
    }
    this.#schedules = schedules;
  }

  /** Arms a timer for every scheduled pipeline's next fire time after now; a stopped scheduler stays stopped. */
  start(): void {
    if (this.#started || this.#stopped) return;
    this.#started = true;
    const nowMs = this.#now();
    for (const [pipeline, schedule] of this.#schedules) this.#arm(pipeline, schedule, nowMs);
  }

  /**
   * Stops firing, waits for ticks being decided and, unless told not to, for the runs this
   * scheduler started. Not waiting leaves those runs to heartbeat-based recovery if the process exits.
   */
  async stop(options: { waitForRuns?: boolean } = {}): Promise<void> {
    this.#stopped = true;
    for (const cancel of this.#cancelTimers.values()) cancel();
    this.#cancelTimers.clear();
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
    if (options.waitForRuns ?? true) {
      while (this.#runs.size > 0) await Promise.allSettled([...this.#runs]);
    }
  }

  /** Runs this scheduler started that are still going. */
  get activeRunCount(): number {
    return this.#runs.size;
  }

  /** Which scheduler this is in decisions and runs. */
  get owner(): string {
    return this.#owner;
  }

  /** Every schedule with its next fire time: as armed once started, else computed from now. */
  schedules(): ScheduleState[] {
    const nowMs = this.#now();
    return [...this.#schedules].map(([pipeline, schedule]) => ({
      pipeline,
      cron: schedule.cron,
      timezone: schedule.timezone,
      nextFireAtMs: this.#nextFireAtMs.has(pipeline) ? this.#nextFireAtMs.get(pipeline)! : schedule.nextFireAfter(nowMs),
    }));
  }

  /**
   * Decides what the fire time `scheduledAtMs` of `pipeline` does, records it, and returns the
   * decision; a started run carries on in the background. Timers call this; tests may call it directly.
   */
  tick(pipeline: string, scheduledAtMs: number): Promise<ScheduleTick> {
    const decided = this.#decide(this.#catalogue.get(pipeline), scheduledAtMs);
    return this.#track(this.#pending, decided);
  }

  async #decide(entry: CatalogueEntry, scheduledAtMs: number): Promise<ScheduleTick> {
    const pipeline = entry.pipeline.name;
    const base = { pipeline, scheduledAtMs, owner: this.#owner };
    const record = async (decision: ScheduleDecision, reason: string, runId: string | null) =>
      this.#announce(await this.#ticks.record({ ...base, decidedAtMs: this.#now(), decision, reason, runId }));
    try {
      const recovered = await recoverInterruptedRuns(this.#store, {
        staleAfterMs: this.#staleAfterMs,
        now: this.#now(),
        ...(this.#ownerIsDead ? { ownerIsDead: this.#ownerIsDead } : {}),
      });
      for (const run of recovered) this.#logger.warn({ runId: run.id, pipeline: run.pipeline }, `recovered interrupted run: ${run.error}`);

      const active = await this.#activeRun(pipeline);
      if (active !== undefined) {
        const since = active.startedAtMs ?? active.createdAtMs;
        return await record(
          'skipped_overlap',
          `run ${active.id} (${active.trigger}, ${active.status} since ${new Date(since).toISOString()}) is still active`,
          active.id,
        );
      }

      let reason = 'on schedule (no run condition)';
      if (entry.condition !== undefined) {
        let verdict;
        try {
          verdict = await entry.condition({});
        } catch (error) {
          return await record('failed_to_start', `the run condition failed: ${messageOf(error)}`, null);
        }
        if (!verdict.proceed) return await record('skipped_condition', verdict.reason, null);
        reason = verdict.reason;
      }

      const claim = await this.#ticks.claimStart({ ...base, decidedAtMs: this.#now(), reason });
      if (claim === undefined) {
        const winner = await this.#ticks.findStartClaim(pipeline, scheduledAtMs);
        const who = winner === undefined ? 'another scheduler' : `scheduler ${winner.owner}`;
        const which = winner?.runId ? ` (run ${winner.runId})` : '';
        return await record('skipped_overlap', `${who} already started this fire time${which}`, winner?.runId ?? null);
      }

      const startedAtMs = this.#now();
      const run = this.#runner(entry.pipeline, { params: {}, trigger: 'schedule', owner: this.#owner, now: this.#now });
      this.#follow(run);
      const outcome = await this.#createdRunId(pipeline, startedAtMs, run);
      if ('runId' in outcome) return this.#announce(await this.#ticks.settle(claim.id, { decision: 'started', reason, runId: outcome.runId }));
      const error = outcome.error;
      if (isTipsterError(error, 'TIPSTER_ERR_PIPELINE_ALREADY_RUNNING')) {
        // Lost the race to a run started elsewhere (by hand, or by another scheduler at another fire time).
        const runId = typeof error.params.runId === 'string' ? error.params.runId : null;
        return this.#announce(await this.#ticks.settle(claim.id, { decision: 'skipped_overlap', reason: error.message, runId }));
      }
      return this.#announce(
        await this.#ticks.settle(claim.id, { decision: 'failed_to_start', reason: `the run could not start: ${messageOf(error)}`, runId: null }),
      );
    } catch (error) {
      // The store itself failed (or the claim could not be settled): record that if the store lets us.
      this.#logger.error({ err: error, pipeline, scheduledAtMs }, 'scheduler tick failed');
      return record('failed_to_start', `the scheduler could not decide: ${messageOf(error)}`, null);
    }
  }

  #announce(tick: ScheduleTick): ScheduleTick {
    const fields = { pipeline: tick.pipeline, scheduledAtMs: tick.scheduledAtMs, decision: tick.decision, runId: tick.runId };
    if (tick.decision === 'failed_to_start') this.#logger.error(fields, tick.reason);
    else this.#logger.info(fields, tick.reason);
    try {
      this.#onDecision(tick);
    } catch (error) {
      this.#logger.error({ err: error }, 'onDecision listener failed');
    }
    return tick;
  }

  async #activeRun(pipeline: string) {
    const row = await this.#store.db
      .selectFrom('pipeline_runs')
      .select(['id', 'status', 'trigger', 'created_at_ms', 'started_at_ms'])
      .where('pipeline', '=', pipeline)
      .where('status', 'in', ['queued', 'running'])
      .executeTakeFirst();
    return row === undefined
      ? undefined
      : { id: row.id, status: row.status, trigger: row.trigger, createdAtMs: row.created_at_ms, startedAtMs: row.started_at_ms };
  }

  /**
   * The id of the run the runner just created, as soon as it exists: runners report only when a run
   * has finished, so look for it. At most one run of a pipeline is active (unique index), so the
   * active schedule run with our owner name, created since we asked, is ours; if the run finishes
   * (or fails to start) before it is seen, the runner's answer says which.
   */
  async #createdRunId(
    pipeline: string,
    sinceMs: number,
    run: Promise<PipelineRunDetail>,
  ): Promise<{ runId: string } | { error: unknown }> {
    let settled: { runId: string } | { error: unknown } | undefined;
    const done = run.then(
      (detail) => void (settled = { runId: detail.id }),
      (error: unknown) => void (settled = { error }),
    );
    for (;;) {
      if (settled !== undefined) return settled;
      const row = await this.#store.db
        .selectFrom('pipeline_runs')
        .select('id')
        .where('pipeline', '=', pipeline)
        .where('owner', '=', this.#owner)
        .where('trigger', '=', 'schedule')
        .where('status', 'in', ['queued', 'running'])
        .where('created_at_ms', '>=', sinceMs)
        .executeTakeFirst();
      if (row !== undefined) return { runId: row.id };
      if (settled !== undefined) return settled;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([done, new Promise((resolve) => (timer = setTimeout(resolve, RUN_ID_POLL_MS)))]);
      clearTimeout(timer);
    }
  }

  /** Keeps a started run until it ends, then reports it. */
  #follow(run: Promise<PipelineRunDetail>): void {
    const followed = run.then(
      (detail) => {
        const fields = { runId: detail.id, pipeline: detail.pipeline, durationMs: detail.durationMs };
        if (detail.status === 'failed') this.#logger.warn(fields, `scheduled run failed: ${detail.error}`);
        else this.#logger.info(fields, `scheduled run ${detail.status}`);
        try {
          this.#onRunFinished(detail);
        } catch (error) {
          this.#logger.error({ err: error }, 'onRunFinished listener failed');
        }
      },
      // Refusals (already running) are recorded by the tick; anything later is the runner failing.
      (error: unknown) => {
        if (!isTipsterError(error, 'TIPSTER_ERR_PIPELINE_ALREADY_RUNNING')) this.#logger.error({ err: error }, 'scheduled run failed to run');
      },
    );
    void this.#track(this.#runs, followed);
  }

  #arm(pipeline: string, schedule: CompiledSchedule, afterMs: number): void {
    if (this.#stopped) return;
    const nextMs = schedule.nextFireAfter(afterMs);
    this.#nextFireAtMs.set(pipeline, nextMs);
    void this.#track(
      this.#pending,
      this.#ticks
        .saveSchedule({ pipeline, cron: schedule.cron, timezone: schedule.timezone, nextFireAtMs: nextMs, owner: this.#owner, updatedAtMs: this.#now() })
        .catch((error: unknown) => this.#logger.error({ err: error, pipeline }, 'could not store the next fire time')),
    );
    if (nextMs === null) return;
    const wait = () => {
      const delayMs = Math.min(Math.max(0, nextMs - this.#now()), MAX_TIMER_DELAY_MS);
      this.#cancelTimers.set(
        pipeline,
        this.#timer(delayMs, () => {
          if (this.#stopped) return;
          // Long waits are taken in steps, and a timer may wake a little early: wait out the rest.
          if (this.#now() < nextMs) {
            wait();
            return;
          }
          this.tick(pipeline, nextMs).catch((error: unknown) =>
            this.#logger.error({ err: error, pipeline, scheduledAtMs: nextMs }, 'could not record a scheduler decision'),
          );
          this.#arm(pipeline, schedule, Math.max(nextMs, this.#now()));
        }),
      );
    };
    wait();
  }

  #track<T>(set: Set<Promise<unknown>>, promise: Promise<T>): Promise<T> {
    const tracked = promise.finally(() => set.delete(tracked));
    set.add(tracked);
    // The caller handles the outcome; the set only needs to know when it settles.
    tracked.catch(() => undefined);
    return tracked;
  }
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : String(error);
}
