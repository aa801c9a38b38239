import { createHash, randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { TipsterError } from '../core/errors.js';
import type { Database } from '../store/database-schema.js';
import { chunks } from '../store/json-bulk.js';
import type { Store } from '../store/store.js';
import type { RunStatus } from '../store/tracking-tables.js';

/** A named group of runs (e.g. `football-1x2-E0`). */
export interface Experiment {
  readonly id: string;
  readonly name: string;
  readonly createdAtMs: number;
}

/** One training or evaluation run, with its latest metric values. */
export interface Run {
  readonly id: string;
  readonly experimentId: string;
  readonly experimentName: string;
  readonly name: string | null;
  readonly status: RunStatus;
  readonly startTimeMs: number;
  readonly endTimeMs: number | null;
  readonly seed: number | null;
  readonly codeVersion: string | null;
  readonly dataFingerprint: string | null;
  readonly params: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
  readonly metrics: Readonly<Record<string, number>>;
  readonly artifacts: readonly { readonly path: string; readonly mediaType: string; readonly sizeBytes: number; readonly sha256: string }[];
}

export interface MetricPoint {
  readonly key: string;
  readonly value: number;
  /** Iteration, epoch or refit number (default 0). */
  readonly step?: number;
  readonly timestampMs?: number;
}

export interface CreateRunOptions {
  readonly experiment: string;
  readonly name?: string;
  readonly seed?: number;
  readonly codeVersion?: string;
  readonly dataFingerprint?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

export const METRIC_COMPARISONS = ['<', '<=', '>', '>=', '='] as const;
export type MetricComparison = (typeof METRIC_COMPARISONS)[number];

/** One search: filters, order, page size and the token of the page to continue from (MLflow's shape). */
export interface RunSearch {
  readonly experiments?: readonly string[];
  readonly statuses?: readonly RunStatus[];
  /** Every tag must match exactly. */
  readonly tags?: Readonly<Record<string, string>>;
  /** On each run's latest value of the metric. */
  readonly metrics?: readonly { readonly key: string; readonly op: MetricComparison; readonly value: number }[];
  /** Default: newest first. A metric order puts runs without that metric last. */
  readonly orderBy?: { readonly metric: string; readonly direction: 'asc' | 'desc' } | { readonly attribute: 'start_time_ms'; readonly direction: 'asc' | 'desc' };
  /** Page size, 1–1000 (default 100). */
  readonly limit?: number;
  readonly pageToken?: string;
}

const MAX_KEY_LENGTH = 250;
const METRIC_ROWS_PER_STATEMENT = 5_000;

function checkKey(key: string, what: string): void {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH) {
    throw new TipsterError('TIPSTER_ERR_TRACKING_INVALID_VALUE', { what, reason: `key "${key}" must be 1–${MAX_KEY_LENGTH} characters` });
  }
}

/**
 * Experiment tracking in Tipster's own database (MLflow's verbs): experiments, runs with params,
 * metric histories, tags and checksummed artifacts, and paged searches. Each call is one
 * transaction, so concurrent workers logging to the same store never see half a write.
 */
export class TrackingStore {
  readonly #db: Kysely<Database>;
  readonly #now: () => number;

  constructor(store: Pick<Store, 'db'>, options: { now?: () => number } = {}) {
    this.#db = store.db;
    this.#now = options.now ?? Date.now;
  }

  /** The experiment with this name, created on first use. */
  async getOrCreateExperiment(name: string): Promise<Experiment> {
    checkKey(name, 'experiment name');
    const find = () => this.#db.selectFrom('experiments').selectAll().where('name', '=', name).executeTakeFirst();
    let row = await find();
    if (!row) {
      await this.#db
        .insertInto('experiments')
        .values({ id: randomUUID(), name, created_at_ms: this.#now() })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      row = (await find())!;
    }
    return { id: row.id, name: row.name, createdAtMs: row.created_at_ms };
  }

  /** Starts a run (status `running`) and returns its id. */
  async createRun(options: CreateRunOptions): Promise<string> {
    const experiment = await this.getOrCreateExperiment(options.experiment);
    const id = randomUUID();
    await this.#db.transaction().execute(async (trx) => {
      await trx
        .insertInto('runs')
        .values({
          id,
          experiment_id: experiment.id,
          name: options.name ?? null,
          status: 'running',
          start_time_ms: this.#now(),
          end_time_ms: null,
          seed: options.seed ?? null,
          code_version: options.codeVersion ?? null,
          data_fingerprint: options.dataFingerprint ?? null,
        })
        .execute();
      const tags = Object.entries(options.tags ?? {});
      for (const [key] of tags) checkKey(key, 'tag');
      if (tags.length > 0) await trx.insertInto('run_tags').values(tags.map(([key, value]) => ({ run_id: id, key, value }))).execute();
    });
    return id;
  }

  /** Records parameters; a key already logged with a different value is an error (params never change). */
  async logParams(runId: string, params: Readonly<Record<string, string | number | boolean>>): Promise<void> {
    const entries = Object.entries(params).map(([key, value]) => [key, String(value)] as const);
    for (const [key] of entries) checkKey(key, 'parameter');
    await this.#db.transaction().execute(async (trx) => {
      await this.#requireRunning(trx, runId);
      const existing = await trx.selectFrom('run_params').select(['key', 'value']).where('run_id', '=', runId).execute();
      const known = new Map(existing.map((p) => [p.key, p.value]));
      const fresh = entries.filter(([key, value]) => {
        const previous = known.get(key);
        if (previous !== undefined && previous !== value) {
          throw new TipsterError('TIPSTER_ERR_TRACKING_PARAM_CHANGED', { runId, key, previous, value });
        }
        return previous === undefined;
      });
      if (fresh.length > 0) await trx.insertInto('run_params').values(fresh.map(([key, value]) => ({ run_id: runId, key, value }))).execute();
    });
  }

  /** Records one metric value at a step. */
  async logMetric(runId: string, key: string, value: number, options: { step?: number; timestampMs?: number } = {}): Promise<void> {
    await this.logMetrics(runId, [{ key, value, ...options }]);
  }

  /**
   * Records many metric values in one transaction (the fast path for training loops). A value for a
   * key and step already logged replaces it; the latest value per key follows the highest step.
   */
  async logMetrics(runId: string, points: readonly MetricPoint[]): Promise<void> {
    if (points.length === 0) return;
    const now = this.#now();
    const latest = new Map<string, { step: number; value: number; timestampMs: number }>();
    const rows = points.map((p) => {
      checkKey(p.key, 'metric');
      const step = p.step ?? 0;
      if (!Number.isFinite(p.value)) throw new TipsterError('TIPSTER_ERR_TRACKING_INVALID_VALUE', { what: `metric ${p.key}`, reason: `value ${p.value} is not a finite number` });
      if (!Number.isInteger(step) || step < 0) throw new TipsterError('TIPSTER_ERR_TRACKING_INVALID_VALUE', { what: `metric ${p.key}`, reason: `step ${step} is not a whole number ≥ 0` });
      const timestampMs = p.timestampMs ?? now;
      const best = latest.get(p.key);
      if (!best || step >= best.step) latest.set(p.key, { step, value: p.value, timestampMs });
      return { run_id: runId, key: p.key, step, value: p.value, timestamp_ms: timestampMs };
    });
    // Duplicate (key, step) pairs in one batch: the last one wins, as it would logged one by one.
    const unique = [...new Map(rows.map((r) => [`${r.key}\u0000${r.step}`, r])).values()];
    await this.#db.transaction().execute(async (trx) => {
      await this.#requireRunning(trx, runId);
      for (const chunk of chunks(unique, METRIC_ROWS_PER_STATEMENT)) {
        await trx
          .insertInto('run_metrics')
          .values([...chunk])
          .onConflict((oc) => oc.columns(['run_id', 'key', 'step']).doUpdateSet({ value: (eb) => eb.ref('excluded.value'), timestamp_ms: (eb) => eb.ref('excluded.timestamp_ms') }))
          .execute();
      }
      await trx
        .insertInto('run_latest_metrics')
        .values([...latest].map(([key, l]) => ({ run_id: runId, key, step: l.step, value: l.value, timestamp_ms: l.timestampMs })))
        .onConflict((oc) =>
          oc
            .columns(['run_id', 'key'])
            .doUpdateSet({ step: (eb) => eb.ref('excluded.step'), value: (eb) => eb.ref('excluded.value'), timestamp_ms: (eb) => eb.ref('excluded.timestamp_ms') })
            .where('excluded.step', '>=', (eb) => eb.ref('run_latest_metrics.step')),
        )
        .execute();
    });
  }

  /** Sets (or replaces) a tag; tags may change after a run ends (e.g. quality good/bad). */
  async setTag(runId: string, key: string, value: string): Promise<void> {
    checkKey(key, 'tag');
    await this.#requireRun(this.#db, runId);
    await this.#db
      .insertInto('run_tags')
      .values({ run_id: runId, key, value })
      .onConflict((oc) => oc.columns(['run_id', 'key']).doUpdateSet({ value }))
      .execute();
  }

  /** Stores bytes under a path of the run, with their SHA-256; returns the checksum and size. */
  async logArtifact(runId: string, path: string, content: Uint8Array, mediaType = 'application/octet-stream'): Promise<{ sha256: string; sizeBytes: number }> {
    checkKey(path, 'artifact path');
    const sha256 = createHash('sha256').update(content).digest('hex');
    await this.#db.transaction().execute(async (trx) => {
      await this.#requireRunning(trx, runId);
      await trx
        .insertInto('run_artifacts')
        .values({ run_id: runId, path, media_type: mediaType, size_bytes: content.byteLength, sha256, content: Buffer.from(content), created_at_ms: this.#now() })
        .onConflict((oc) => oc.columns(['run_id', 'path']).doUpdateSet({ media_type: mediaType, size_bytes: content.byteLength, sha256, content: Buffer.from(content) }))
        .execute();
    });
    return { sha256, sizeBytes: content.byteLength };
  }

  /** The artifact's bytes, verified against the checksum recorded when it was logged. */
  async getArtifact(runId: string, path: string): Promise<{ content: Uint8Array; mediaType: string; sha256: string }> {
    const row = await this.#db.selectFrom('run_artifacts').selectAll().where('run_id', '=', runId).where('path', '=', path).executeTakeFirst();
    if (!row) throw new TipsterError('TIPSTER_ERR_TRACKING_ARTIFACT_NOT_FOUND', { runId, path });
    const content = new Uint8Array(row.content);
    if (createHash('sha256').update(content).digest('hex') !== row.sha256) {
      throw new TipsterError('TIPSTER_ERR_TRACKING_ARTIFACT_CORRUPT', { runId, path });
    }
    return { content, mediaType: row.media_type, sha256: row.sha256 };
  }

  /** Ends a run; a run ends once. */
  async endRun(runId: string, status: Exclude<RunStatus, 'running'> = 'finished'): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      await this.#requireRunning(trx, runId);
      await trx.updateTable('runs').set({ status, end_time_ms: this.#now() }).where('id', '=', runId).execute();
    });
  }

  /** A run with its params, tags, latest metrics and artifact list. */
  async getRun(runId: string): Promise<Run> {
    const [run] = await this.#hydrate([runId]);
    if (!run) throw new TipsterError('TIPSTER_ERR_TRACKING_RUN_NOT_FOUND', { runId });
    return run;
  }

  /** Every logged value of one metric, by step. */
  async getMetricHistory(runId: string, key: string): Promise<{ step: number; value: number; timestampMs: number }[]> {
    await this.#requireRun(this.#db, runId);
    const rows = await this.#db.selectFrom('run_metrics').select(['step', 'value', 'timestamp_ms']).where('run_id', '=', runId).where('key', '=', key).orderBy('step').execute();
    return rows.map((r) => ({ step: r.step, value: r.value, timestampMs: r.timestamp_ms }));
  }

  /** Runs matching every filter, ordered and paged; `nextPageToken` is absent on the last page. */
  async searchRuns(search: RunSearch = {}): Promise<{ runs: Run[]; nextPageToken?: string }> {
    const limit = search.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new TipsterError('TIPSTER_ERR_TRACKING_INVALID_VALUE', { what: 'limit', reason: `${limit} is not a whole number from 1 to 1000` });
    }
    let offset = 0;
    if (search.pageToken !== undefined) {
      offset = Number(Buffer.from(search.pageToken, 'base64url').toString('utf8').replace(/^offset:/, ''));
      if (!Number.isInteger(offset) || offset < 0) throw new TipsterError('TIPSTER_ERR_TRACKING_PAGE_TOKEN_INVALID');
    }
    let query = this.#db.selectFrom('runs as r').innerJoin('experiments as e', 'e.id', 'r.experiment_id').select('r.id');
    if (search.experiments?.length) query = query.where('e.name', 'in', search.experiments);
    if (search.statuses?.length) query = query.where('r.status', 'in', search.statuses);
    for (const [key, value] of Object.entries(search.tags ?? {})) {
      query = query.where((eb) =>
        eb.exists(eb.selectFrom('run_tags as t').select('t.run_id').whereRef('t.run_id', '=', 'r.id').where('t.key', '=', key).where('t.value', '=', value)),
      );
    }
    for (const filter of search.metrics ?? []) {
      if (!METRIC_COMPARISONS.includes(filter.op)) throw new TipsterError('TIPSTER_ERR_TRACKING_INVALID_VALUE', { what: 'metric filter', reason: `unknown comparison ${filter.op}` });
      query = query.where((eb) =>
        eb.exists(
          eb.selectFrom('run_latest_metrics as m').select('m.run_id').whereRef('m.run_id', '=', 'r.id').where('m.key', '=', filter.key).where('m.value', filter.op, filter.value),
        ),
      );
    }
    const order = search.orderBy ?? { attribute: 'start_time_ms', direction: 'desc' };
    if ('metric' in order) {
      query = query
        .leftJoin('run_latest_metrics as om', (join) => join.onRef('om.run_id', '=', 'r.id').on('om.key', '=', order.metric))
        // Runs without the metric go last whatever the direction.
        .orderBy(sql`case when om.value is null then 1 else 0 end`)
        .orderBy('om.value', order.direction);
    } else {
      query = query.orderBy('r.start_time_ms', order.direction);
    }
    const ids = (await query.orderBy('r.id').limit(limit + 1).offset(offset).execute()).map((r) => r.id);
    const page = ids.slice(0, limit);
    const byId = new Map((await this.#hydrate(page)).map((run) => [run.id, run]));
    const runs = page.map((id) => byId.get(id)!);
    return ids.length > limit ? { runs, nextPageToken: Buffer.from(`offset:${offset + limit}`).toString('base64url') } : { runs };
  }

  async #hydrate(ids: readonly string[]): Promise<Run[]> {
    if (ids.length === 0) return [];
    const rows = await this.#db
      .selectFrom('runs as r')
      .innerJoin('experiments as e', 'e.id', 'r.experiment_id')
      .selectAll('r')
      .select('e.name as experiment_name')
      .where('r.id', 'in', ids)
      .execute();
    const group = async <T extends { run_id: string }>(table: 'run_params' | 'run_tags' | 'run_latest_metrics', pick: (row: any) => T) =>
      (await this.#db.selectFrom(table).selectAll().where('run_id', 'in', ids).execute()).map(pick);
    const params = await group('run_params', (r) => r);
    const tags = await group('run_tags', (r) => r);
    const metrics = await group('run_latest_metrics', (r) => r);
    const artifacts = await this.#db
      .selectFrom('run_artifacts')
      .select(['run_id', 'path', 'media_type', 'size_bytes', 'sha256'])
      .where('run_id', 'in', ids)
      .orderBy('path')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      experimentId: r.experiment_id,
      experimentName: r.experiment_name,
      name: r.name,
      status: r.status,
      startTimeMs: r.start_time_ms,
      endTimeMs: r.end_time_ms,
      seed: r.seed,
      codeVersion: r.code_version,
      dataFingerprint: r.data_fingerprint,
      params: Object.fromEntries(params.filter((p) => p.run_id === r.id).map((p: any) => [p.key, p.value])),
      tags: Object.fromEntries(tags.filter((t) => t.run_id === r.id).map((t: any) => [t.key, t.value])),
      metrics: Object.fromEntries(metrics.filter((m) => m.run_id === r.id).map((m: any) => [m.key, m.value])),
      artifacts: artifacts.filter((a) => a.run_id === r.id).map((a) => ({ path: a.path, mediaType: a.media_type, sizeBytes: a.size_bytes, sha256: a.sha256 })),
    }));
  }

  async #requireRun(db: Kysely<Database>, runId: string): Promise<RunStatus> {
    const run = await db.selectFrom('runs').select('status').where('id', '=', runId).executeTakeFirst();
    if (!run) throw new TipsterError('TIPSTER_ERR_TRACKING_RUN_NOT_FOUND', { runId });
    return run.status;
  }

  async #requireRunning(db: Kysely<Database>, runId: string): Promise<void> {
    const status = await this.#requireRun(db, runId);
    if (status !== 'running') throw new TipsterError('TIPSTER_ERR_TRACKING_RUN_ENDED', { runId, status });
  }
}
