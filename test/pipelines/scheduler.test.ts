import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTipsterError } from '../../src/core/errors.js';
import { definePipeline, type Pipeline } from '../../src/pipelines/define-pipeline.js';
import { getPipelineRun } from '../../src/pipelines/get-pipeline-run.js';
import { listPipelineRuns } from '../../src/pipelines/list-pipeline-runs.js';
import { PipelineCatalogue, type CatalogueEntry } from '../../src/pipelines/pipeline-catalogue.js';
import type { PipelineRunDetail } from '../../src/pipelines/pipeline-run-record.js';
import { PipelineRunRepository } from '../../src/pipelines/pipeline-run-repository.js';
import { runPipeline } from '../../src/pipelines/run-pipeline.js';
import { compileSchedule } from '../../src/pipelines/scheduler/next-fire-time.js';
import { PipelineScheduler, type ArmTimer, type PipelineSchedulerOptions } from '../../src/pipelines/scheduler/pipeline-scheduler.js';
import { listScheduleTicks, listStoredSchedules } from '../../src/pipelines/scheduler/schedule-tick-repository.js';
import { migrateStore } from '../../src/store/migrate-store.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { describePerBackend } from '../support/backends.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const DAY_MS = 86_400_000;

/** A pipeline whose one task waits until released, so a run stays active as long as a test needs. */
function gatedPipeline(name: string) {
  let release!: () => void;
  let started!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const running = new Promise<void>((resolve) => (started = resolve));
  const pipeline = definePipeline({
    name,
    description: 'waits for the test',
    tasks: [
      {
        name: 'work',
        run: async () => {
          started();
          await gate;
          return 'done';
        },
      },
    ],
  });
  return { pipeline, release, running };
}

const quickPipeline = (name: string) =>
  definePipeline({ name, description: 'returns at once', tasks: [{ name: 'work', run: async () => 'done' }] });

/** Timers the test fires by hand: each armed timer is kept with its delay. */
function manualTimers() {
  const armed: { delayMs: number; fire: () => void; cancelled: boolean }[] = [];
  const timer: ArmTimer = (delayMs, fire) => {
    const entry = { delayMs, fire, cancelled: false };
    armed.push(entry);
    return () => {
      entry.cancelled = true;
    };
  };
  const live = () => armed.filter((t) => !t.cancelled);
  return { timer, armed, live };
}

describePerBackend('pipeline scheduler', (backend) => {
  let store: Store;
  let otherStore: Store;
  let clockMs = at('2025-03-28T12:00:00Z');
  const now = () => clockMs;
  const runner = (s: Store) => (pipeline: Pipeline, options: Parameters<typeof runPipeline>[2]) => runPipeline(s, pipeline, options);
  const scheduler = (entries: CatalogueEntry[], extra: Partial<PipelineSchedulerOptions> = {}) =>
    new PipelineScheduler({
      store,
      catalogue: new PipelineCatalogue(entries),
      runner: runner(extra.store ?? store),
      now,
      owner: 'sched-a:1',
      staleAfterMs: 30 * DAY_MS,
      ...extra,
    });

  beforeAll(async () => {
    const url = await backend.freshUrl();
    store = await openStore(url);
    await migrateStore(store);
    // A second connection stands for a second scheduler process; see no-overlap.test.ts for why SQLite shares one.
    otherStore = backend.name === 'postgres' ? await openStore(url) : store;
  });
  afterAll(async () => {
    if (otherStore !== store) await otherStore.close();
    await store.close();
    await backend.cleanup();
  });

  it('starts a scheduled run, records the decision with the run id, and reports the run when it ends', async () => {
    const finished: PipelineRunDetail[] = [];
    const s = scheduler([{ pipeline: quickPipeline('nightly'), schedule: { cron: '0 2 * * *', timezone: 'Europe/London' } }], {
      onRunFinished: (run) => finished.push(run),
    });
    const tick = await s.tick('nightly', at('2025-03-29T02:00:00Z'));
    await s.stop();
    expect(tick).toMatchObject({
      pipeline: 'nightly',
      scheduledAtMs: at('2025-03-29T02:00:00Z'),
      decision: 'started',
      reason: 'on schedule (no run condition)',
      owner: 'sched-a:1',
    });
    expect(tick.runId).not.toBeNull();
    const run = await getPipelineRun(store, tick.runId!);
    expect(run).toMatchObject({ pipeline: 'nightly', trigger: 'schedule', owner: 'sched-a:1', status: 'succeeded' });
    expect(finished.map((r) => r.id)).toEqual([tick.runId]);
    expect(await listScheduleTicks(store, { pipeline: 'nightly', limit: 10 })).toEqual([tick]);
  });

  it('skips a fire time while the previous run is still active, naming that run', async () => {
    const { pipeline, release, running } = gatedPipeline('hourly');
    const s = scheduler([{ pipeline, schedule: { cron: '0 * * * *', timezone: 'UTC' } }]);
    const first = await s.tick('hourly', at('2025-03-28T13:00:00Z'));
    await running;
    clockMs = at('2025-03-28T14:00:00Z');
    const second = await s.tick('hourly', at('2025-03-28T14:00:00Z'));
    expect(first.decision).toBe('started');
    expect(second).toMatchObject({ decision: 'skipped_overlap', runId: first.runId });
    expect(second.reason).toBe(`run ${first.runId} (schedule, running since 2025-03-28T12:00:00.000Z) is still active`);
    expect(s.activeRunCount).toBe(1);
    release();
    await s.stop();
    expect(s.activeRunCount).toBe(0);
    expect((await listPipelineRuns(store, { pipeline: 'hourly', limit: 10 })).map((r) => r.status)).toEqual(['succeeded']);
  });

  it('lets one of two schedulers firing at the same time start the run; the other records the lost race', async () => {
    for (const [name, pipeline] of [
      ['race-quick', quickPipeline('race-quick')],
      ['race-slow', gatedPipeline('race-slow')],
    ] as const) {
      const gated = 'release' in pipeline ? pipeline : undefined;
      const entry = { pipeline: gated?.pipeline ?? (pipeline as Pipeline), schedule: { cron: '*/5 * * * *', timezone: 'UTC' } };
      const a = scheduler([entry], { owner: 'sched-a:1' });
      const b = scheduler([entry], { owner: 'sched-b:2', store: otherStore });
      const fireMs = at('2025-03-28T15:05:00Z');
      const ticks = await Promise.all([a.tick(name, fireMs), b.tick(name, fireMs)]);
      gated?.release();
      await Promise.all([a.stop(), b.stop()]);
      expect(ticks.map((t) => t.decision).sort(), name).toEqual(['skipped_overlap', 'started']);
      const winner = ticks.find((t) => t.decision === 'started')!;
      const loser = ticks.find((t) => t.decision === 'skipped_overlap')!;
      expect(loser.owner).not.toBe(winner.owner);
      expect(loser.reason, name).toMatch(/already started this fire time|is still active|already has an active run/);
      const runs = await listPipelineRuns(store, { pipeline: name, limit: 10 });
      expect(runs.map((r) => [r.id, r.owner]), name).toEqual([[winner.runId, winner.owner]]);
    }
  });

  it('records skipped_condition with the condition’s reason, and failed_to_start when the condition throws', async () => {
    let verdict = { proceed: false, reason: 'only 3 new labelled rows since the last training; at least 50 needed' };
    const conditioned: CatalogueEntry = {
      pipeline: quickPipeline('retrain'),
      schedule: { cron: '0 6 * * *', timezone: 'Europe/London' },
      condition: async (params) => {
        expect(params).toEqual({});
        return verdict;
      },
    };
    const broken: CatalogueEntry = {
      pipeline: quickPipeline('broken-condition'),
      schedule: { cron: '0 6 * * *', timezone: 'Europe/London' },
      condition: async () => {
        throw new Error('labels table unreachable');
      },
    };
    const s = scheduler([conditioned, broken]);
    const skipped = await s.tick('retrain', at('2025-03-29T06:00:00Z'));
    expect(skipped).toMatchObject({ decision: 'skipped_condition', reason: verdict.reason, runId: null });
    verdict = { proceed: true, reason: '61 new labelled rows since the last training; at least 50 needed' };
    const started = await s.tick('retrain', at('2025-03-30T05:00:00Z'));
    expect(started).toMatchObject({ decision: 'started', reason: verdict.reason });
    const failed = await s.tick('broken-condition', at('2025-03-29T06:00:00Z'));
    expect(failed).toMatchObject({ decision: 'failed_to_start', reason: 'the run condition failed: labels table unreachable', runId: null });
    await s.stop();
    expect((await listScheduleTicks(store, { pipeline: 'retrain', limit: 10 })).map((t) => t.decision)).toEqual(['started', 'skipped_condition']);
    expect(await listPipelineRuns(store, { pipeline: 'broken-condition', limit: 10 })).toEqual([]);
  });

  it('records a run refused by the database as skipped_overlap and any other start failure as failed_to_start', async () => {
    // A manual run slips in between the scheduler's check and its start: the database refuses the second run.
    const manual = gatedPipeline('refused');
    let manualRun: Promise<PipelineRunDetail> | undefined;
    const refusing = scheduler([{ pipeline: manual.pipeline, schedule: { cron: '0 * * * *', timezone: 'UTC' } }], {
      runner: async (pipeline, options) => {
        manualRun = runPipeline(store, pipeline, { trigger: 'manual', now });
        await manual.running;
        return runPipeline(store, pipeline, options);
      },
    });
    const overlap = await refusing.tick('refused', at('2025-03-28T16:00:00Z'));
    manual.release();
    const manualId = (await manualRun!).id;
    await refusing.stop();
    expect(overlap).toMatchObject({ decision: 'skipped_overlap', runId: manualId });
    expect(overlap.reason).toBe(`Pipeline "refused" already has an active run (${manualId}, running); runs of one pipeline never overlap`);
    expect((await listPipelineRuns(store, { pipeline: 'refused', limit: 10 })).map((r) => r.trigger)).toEqual(['manual']);

    const failing = scheduler([{ pipeline: quickPipeline('unstartable'), schedule: { cron: '0 * * * *', timezone: 'UTC' } }], {
      runner: async () => {
        throw new Error('no worker queue');
      },
    });
    const failed = await failing.tick('unstartable', at('2025-03-28T16:00:00Z'));
    expect(failed).toMatchObject({ decision: 'failed_to_start', reason: 'the run could not start: no worker queue', runId: null });
    // A failed start frees the fire time: a retry of the same tick may start it.
    await failing.stop();
  });

  it('recovers an interrupted run before deciding, so a dead process does not block its pipeline', async () => {
    const repository = new PipelineRunRepository(store);
    const deadRunId = '22222222-2222-4222-8222-222222222222';
    await repository.createRun({ id: deadRunId, pipeline: 'orphaned', params: '{}', trigger: 'schedule', owner: 'dead-box:9', atMs: clockMs, tasks: ['work'] });
    await repository.startRun(deadRunId, clockMs);
    const s = scheduler([{ pipeline: quickPipeline('orphaned'), schedule: { cron: '0 * * * *', timezone: 'UTC' } }], { staleAfterMs: 60_000 });
    clockMs += 10 * 60_000;
    const tick = await s.tick('orphaned', clockMs);
    await s.stop();
    expect(tick.decision).toBe('started');
    expect((await getPipelineRun(store, deadRunId)).error).toContain('its process (dead-box:9) stopped heartbeating 600000 ms ago');
  });

  it('fires at the cron times of its time zone across both DST changes, re-arming after each tick', async () => {
    const { timer, live } = manualTimers();
    clockMs = at('2025-03-28T12:00:00Z');
    let onRunFinished = () => undefined as void;
    const s = scheduler([{ pipeline: quickPipeline('london-morning'), schedule: { cron: '0 6 * * *', timezone: 'Europe/London' } }], {
      timer,
      onRunFinished: () => onRunFinished(),
    });
    expect(s.schedules()).toEqual([
      { pipeline: 'london-morning', cron: '0 6 * * *', timezone: 'Europe/London', nextFireAtMs: at('2025-03-29T06:00:00Z') },
    ]);
    s.start();
    const fired: string[] = [];
    const fireNext = async () => {
      const [armed] = live();
      expect(live()).toHaveLength(1);
      clockMs += armed!.delayMs;
      const finished = new Promise<void>((resolve) => (onRunFinished = () => resolve()));
      armed!.cancelled = true;
      armed!.fire();
      fired.push(iso(clockMs)!);
      // Each morning's run ends before the next morning comes.
      await finished;
    };
    for (let i = 0; i < 3; i++) await fireNext();
    // 06:00 GMT, then 06:00 BST = 05:00 UTC once the clocks go forward on 30 March.
    expect(fired).toEqual(['2025-03-29T06:00:00.000Z', '2025-03-30T05:00:00.000Z', '2025-03-31T05:00:00.000Z']);
    expect(s.schedules()[0]!.nextFireAtMs).toBe(at('2025-04-01T05:00:00Z'));
    // The fire-time writes and ticks run in the background; stop() waits for them.
    await s.stop();
    expect(live()).toEqual([]);
    const ticks = await listScheduleTicks(store, { pipeline: 'london-morning', limit: 10 });
    expect(ticks.map((t) => [iso(t.scheduledAtMs), t.decision])).toEqual([
      ['2025-03-31T05:00:00.000Z', 'started'],
      ['2025-03-30T05:00:00.000Z', 'started'],
      ['2025-03-29T06:00:00.000Z', 'started'],
    ]);
    const stored = (await listStoredSchedules(store)).find((r) => r.pipeline === 'london-morning');
    expect(stored).toMatchObject({ cron: '0 6 * * *', timezone: 'Europe/London', nextFireAtMs: at('2025-04-01T05:00:00Z'), owner: 'sched-a:1' });

    // Autumn: back to 06:00 GMT after the clocks go back on 26 October.
    const autumn = compileSchedule('london-morning', { cron: '0 6 * * *', timezone: 'Europe/London' });
    const times: (string | null)[] = [];
    let t = at('2025-10-24T12:00:00Z');
    for (let i = 0; i < 3; i++) times.push(iso((t = autumn.nextFireAfter(t)!)));
    expect(times).toEqual(['2025-10-25T05:00:00.000Z', '2025-10-26T06:00:00.000Z', '2025-10-27T06:00:00.000Z']);
  });

  it('waits out a timer that wakes early instead of firing before the cron time', async () => {
    const { timer, live } = manualTimers();
    clockMs = at('2025-05-01T08:00:00Z');
    const s = scheduler([{ pipeline: quickPipeline('early-wake'), schedule: { cron: '30 8 * * *', timezone: 'UTC' } }], { timer });
    s.start();
    const [first] = live();
    expect(first!.delayMs).toBe(30 * 60_000);
    clockMs += 29 * 60_000;
    first!.cancelled = true;
    first!.fire();
    const [again] = live();
    expect(again!.delayMs).toBe(60_000);
    await s.stop();
    expect(await listScheduleTicks(store, { pipeline: 'early-wake', limit: 10 })).toEqual([]);
  });
});

describe('schedule validation', () => {
  const entry = (cron: string, timezone: string): CatalogueEntry => ({ pipeline: quickPipeline('weekly'), schedule: { cron, timezone } });
  const build = (e: CatalogueEntry) => () =>
    new PipelineScheduler({ store: {} as Store, catalogue: new PipelineCatalogue([e]), runner: async () => ({}) as PipelineRunDetail });

  it('refuses a bad cron pattern or time zone when the scheduler is built, naming the pipeline', () => {
    for (const [cron, timezone, detail] of [
      ['61 * * * *', 'UTC', 'cron "61 * * * *": CronPattern: Invalid value for minute: 61'],
      ['0 6 * *', 'UTC', 'exactly five or six space separated parts are required'],
      ['0 6 * * 1', 'Mars/Olympus_Mons', '"Mars/Olympus_Mons" is not an IANA time zone'],
    ] as const) {
      let error: unknown;
      try {
        build(entry(cron, timezone))();
      } catch (e) {
        error = e;
      }
      expect(isTipsterError(error, 'TIPSTER_ERR_PIPELINE_SCHEDULE_INVALID')).toBe(true);
      expect((error as Error).message).toContain('pipeline "weekly"');
      expect((error as Error).message).toContain(detail);
    }
  });
});
