import type { Kysely, Selectable } from 'kysely';
import { TipsterError } from '../../core/errors.js';
import type { Database } from '../../store/database-schema.js';
import type { PipelineScheduleTable, PipelineScheduleTickTable } from '../../store/schedule-tables.js';
import type { Store } from '../../store/store.js';
import { isUniqueViolation } from '../../store/unique-violation.js';
import { SCHEDULE_DECISIONS, isScheduleDecision, type ScheduleDecision } from './schedule-decisions.js';

/** One scheduler decision, as operators (CLI, status page, dashboard) read it. */
export interface ScheduleTick {
  readonly id: number;
  readonly pipeline: string;
  /** The cron fire time the tick stands for. */
  readonly scheduledAtMs: number;
  readonly decidedAtMs: number;
  readonly decision: ScheduleDecision;
  readonly reason: string;
  /** The run started, or the active run that blocked this one. */
  readonly runId: string | null;
  /** The scheduler process that decided (`host:pid`). */
  readonly owner: string;
}

/** A schedule as the last scheduler to arm it stored it. */
export interface StoredSchedule {
  readonly pipeline: string;
  readonly cron: string;
  readonly timezone: string;
  readonly nextFireAtMs: number | null;
  readonly owner: string;
  readonly updatedAtMs: number;
}

/** The tick fields a scheduler writes. */
export type NewScheduleTick = Omit<ScheduleTick, 'id'>;

/** Writes of the scheduler: tick decisions, fire-time claims, next fire times. */
export class ScheduleTickRepository {
  readonly #db: Kysely<Database>;

  constructor(store: Store) {
    this.#db = store.db;
  }

  /** Records a decision that started nothing. */
  async record(tick: NewScheduleTick): Promise<ScheduleTick> {
    const row = await this.#db.insertInto('pipeline_schedule_ticks').values(tickRow(tick)).returningAll().executeTakeFirstOrThrow();
    return scheduleTick(row);
  }

  /**
   * Claims a fire time for starting a run (decision `started`, run id still unknown). Returns
   * undefined when another scheduler claimed the same fire time first: a unique index decides.
   */
  async claimStart(tick: Omit<NewScheduleTick, 'decision' | 'runId'>): Promise<ScheduleTick | undefined> {
    try {
      return await this.record({ ...tick, decision: 'started', runId: null });
    } catch (error) {
      if (isUniqueViolation(error)) return undefined;
      throw error;
    }
  }

  /** The claim that started a run for this fire time, if any. */
  async findStartClaim(pipeline: string, scheduledAtMs: number): Promise<ScheduleTick | undefined> {
    const row = await this.#db
      .selectFrom('pipeline_schedule_ticks')
      .selectAll()
      .where('pipeline', '=', pipeline)
      .where('scheduled_at_ms', '=', scheduledAtMs)
      .where('decision', '=', 'started')
      .executeTakeFirst();
    return row === undefined ? undefined : scheduleTick(row);
  }

  /** Settles a claim once the run exists (run id) or could not be started (another decision). */
  async settle(id: number, outcome: { decision: ScheduleDecision; reason: string; runId: string | null }): Promise<ScheduleTick> {
    const row = await this.#db
      .updateTable('pipeline_schedule_ticks')
      .set({ decision: outcome.decision, reason: outcome.reason, run_id: outcome.runId })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return scheduleTick(row);
  }

  /** Stores (or replaces) a schedule's pattern and next fire time. */
  async saveSchedule(schedule: StoredSchedule): Promise<void> {
    const values = {
      pipeline: schedule.pipeline,
      cron: schedule.cron,
      timezone: schedule.timezone,
      next_fire_at_ms: schedule.nextFireAtMs,
      owner: schedule.owner,
      updated_at_ms: schedule.updatedAtMs,
    };
    const { pipeline: _key, ...update } = values;
    await this.#db
      .insertInto('pipeline_schedules')
      .values(values)
      .onConflict((oc) => oc.column('pipeline').doUpdateSet(update))
      .execute();
  }
}

/** Filters of the tick history. */
export interface ListScheduleTicksOptions {
  readonly pipeline?: string;
  readonly decision?: ScheduleDecision;
  /** At most this many ticks (1 … 1000). */
  readonly limit: number;
}

const MAX_LIMIT = 1000;

/** Scheduler decisions, newest fire time first. */
export async function listScheduleTicks(store: Store, options: ListScheduleTicksOptions): Promise<ScheduleTick[]> {
  if (!Number.isInteger(options.limit) || options.limit < 1 || options.limit > MAX_LIMIT) {
    throw new TipsterError('TIPSTER_ERR_PIPELINE_OPTION_INVALID', {
      detail: `limit must be a whole number from 1 to ${MAX_LIMIT}, got ${options.limit}`,
    });
  }
  if (options.decision !== undefined && !isScheduleDecision(options.decision)) {
    throw new TipsterError('TIPSTER_ERR_PIPELINE_OPTION_INVALID', {
      detail: `decision must be one of ${SCHEDULE_DECISIONS.join(', ')}, got "${String(options.decision)}"`,
    });
  }
  let query = store.db.selectFrom('pipeline_schedule_ticks').selectAll();
  if (options.pipeline !== undefined) query = query.where('pipeline', '=', options.pipeline);
  if (options.decision !== undefined) query = query.where('decision', '=', options.decision);
  const rows = await query.orderBy('scheduled_at_ms', 'desc').orderBy('id', 'desc').limit(options.limit).execute();
  return rows.map(scheduleTick);
}

/** Every stored schedule, by pipeline name. */
export async function listStoredSchedules(store: Store): Promise<StoredSchedule[]> {
  const rows = await store.db.selectFrom('pipeline_schedules').selectAll().orderBy('pipeline').execute();
  return rows.map(storedSchedule);
}

function tickRow(tick: NewScheduleTick) {
  return {
    pipeline: tick.pipeline,
    scheduled_at_ms: tick.scheduledAtMs,
    decided_at_ms: tick.decidedAtMs,
    decision: tick.decision,
    reason: tick.reason,
    run_id: tick.runId,
    owner: tick.owner,
  };
}

function scheduleTick(row: Selectable<PipelineScheduleTickTable>): ScheduleTick {
  return {
    id: row.id,
    pipeline: row.pipeline,
    scheduledAtMs: row.scheduled_at_ms,
    decidedAtMs: row.decided_at_ms,
    decision: row.decision as ScheduleDecision,
    reason: row.reason,
    runId: row.run_id,
    owner: row.owner,
  };
}

function storedSchedule(row: Selectable<PipelineScheduleTable>): StoredSchedule {
  return {
    pipeline: row.pipeline,
    cron: row.cron,
    timezone: row.timezone,
    nextFireAtMs: row.next_fire_at_ms,
    owner: row.owner,
    updatedAtMs: row.updated_at_ms,
  };
}
