import type { Kysely } from 'kysely';
import { TipsterError } from '../core/errors.js';
import type { Database } from '../store/database-schema.js';
import type { Store } from '../store/store.js';
import { decidePromotion, type PromotionDecision, type PromotionPolicy } from './promotion-policy.js';

/** A model registered for one task (e.g. `football-1x2-E0`), with the rule that promotes its versions. */
export interface RegisteredModel {
  readonly name: string;
  readonly task: string;
  readonly description: string | null;
  readonly primaryMetric: string;
  readonly higherIsBetter: boolean;
  readonly createdAtMs: number;
}

/** One version of a registered model, produced by a tracked run. */
export interface ModelVersion {
  readonly model: string;
  readonly version: number;
  readonly runId: string;
  readonly description: string | null;
  readonly createdAtMs: number;
  readonly tags: Readonly<Record<string, string>>;
  /** Aliases currently pointing here (e.g. `production`). */
  readonly aliases: readonly string[];
}

/** One alias move in the audit trail. */
export interface AliasEvent {
  readonly alias: string;
  readonly fromVersion: number | null;
  readonly toVersion: number | null;
  readonly actor: string;
  readonly reason: string;
  readonly atMs: number;
}

export interface RegistryOptions {
  readonly now?: () => number;
  /** How long a cached alias lookup is trusted before checking for moves (default 1,000 ms). */
  readonly cacheCheckMs?: number;
}

/**
 * The model registry (MLflow's verbs): registered models, versions linked to their runs, tags,
 * and aliases (`production`, `challenger`) whose every move is recorded with who and why.
 * Alias lookups are cached per process and re-validated against the registry's change counter
 * (the newest alias event), so a move made by any process is seen within `cacheCheckMs`.
 */
export class ModelRegistry {
  readonly #db: Kysely<Database>;
  readonly #now: () => number;
  readonly #cacheCheckMs: number;
  readonly #cache = new Map<string, ModelVersion | null>();
  #cacheGeneration = -1;
  #cacheCheckedAtMs = Number.NEGATIVE_INFINITY;

  constructor(store: Pick<Store, 'db'>, options: RegistryOptions = {}) {
    this.#db = store.db;
    this.#now = options.now ?? Date.now;
    this.#cacheCheckMs = options.cacheCheckMs ?? 1_000;
  }

  /** Registers a model for a task, or returns the existing one with that name. */
  async registerModel(model: { name: string; task: string; primaryMetric: string; higherIsBetter: boolean; description?: string }): Promise<RegisteredModel> {
    await this.#db
      .insertInto('registered_models')
      .values({
        name: model.name,
        task: model.task,
        description: model.description ?? null,
        primary_metric: model.primaryMetric,
        higher_is_better: model.higherIsBetter ? 1 : 0,
        created_at_ms: this.#now(),
      })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    return this.getRegisteredModel(model.name);
  }

  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    const row = await this.#db.selectFrom('registered_models').selectAll().where('name', '=', name).executeTakeFirst();
    if (!row) throw new TipsterError('TIPSTER_ERR_REGISTRY_MODEL_NOT_FOUND', { model: name });
    return {
      name: row.name,
      task: row.task,
      description: row.description,
      primaryMetric: row.primary_metric,
      higherIsBetter: row.higher_is_better === 1,
      createdAtMs: row.created_at_ms,
    };
  }

  async listRegisteredModels(): Promise<RegisteredModel[]> {
    const names = await this.#db.selectFrom('registered_models').select('name').orderBy('name').execute();
    return Promise.all(names.map((n) => this.getRegisteredModel(n.name)));
  }

  /** Adds the next version of a model, produced by `runId`; returns it. */
  async createModelVersion(model: string, runId: string, options: { description?: string; tags?: Readonly<Record<string, string>> } = {}): Promise<ModelVersion> {
    await this.getRegisteredModel(model);
    const version = await this.#db.transaction().execute(async (trx) => {
      const last = await trx
        .selectFrom('model_versions')
        .select((eb) => eb.fn.max('version').as('v'))
        .where('model_name', '=', model)
        .executeTakeFirst();
      const next = Number(last?.v ?? 0) + 1;
      await trx
        .insertInto('model_versions')
        .values({ model_name: model, version: next, run_id: runId, description: options.description ?? null, created_at_ms: this.#now() })
        .execute();
      const tags = Object.entries(options.tags ?? {});
      if (tags.length > 0) {
        await trx.insertInto('model_version_tags').values(tags.map(([key, value]) => ({ model_name: model, version: next, key, value }))).execute();
      }
      return next;
    });
    return this.getModelVersion(model, version);
  }

  async getModelVersion(model: string, version: number): Promise<ModelVersion> {
    const [found] = await this.#versions(model, version);
    if (!found) throw new TipsterError('TIPSTER_ERR_REGISTRY_VERSION_NOT_FOUND', { model, version });
    return found;
  }

  /** Every version of a model, newest first. */
  async listModelVersions(model: string): Promise<ModelVersion[]> {
    await this.getRegisteredModel(model);
    return this.#versions(model);
  }

  async setModelVersionTag(model: string, version: number, key: string, value: string): Promise<void> {
    await this.getModelVersion(model, version);
    await this.#db
      .insertInto('model_version_tags')
      .values({ model_name: model, version, key, value })
      .onConflict((oc) => oc.columns(['model_name', 'version', 'key']).doUpdateSet({ value }))
      .execute();
  }

  /** Points an alias at a version, recording who moved it and why (one transaction). */
  async setModelAlias(model: string, alias: string, version: number, audit: { actor: string; reason: string }): Promise<void> {
    await this.getModelVersion(model, version);
    await this.#db.transaction().execute((trx) => this.#moveAlias(trx, model, alias, version, audit));
  }

  /** The version an alias points at, or undefined; served from the per-process cache when fresh. */
  async getModelVersionByAlias(model: string, alias: string): Promise<ModelVersion | undefined> {
    await this.#revalidateCache();
    const key = `${model}\u0000${alias}`;
    if (this.#cache.has(key)) return this.#cache.get(key) ?? undefined;
    const row = await this.#db.selectFrom('model_aliases').select('version').where('model_name', '=', model).where('alias', '=', alias).executeTakeFirst();
    const found = row ? await this.getModelVersion(model, row.version) : null;
    this.#cache.set(key, found);
    return found ?? undefined;
  }

  /** The alias's moves, newest first. */
  async aliasHistory(model: string, alias?: string): Promise<AliasEvent[]> {
    let query = this.#db.selectFrom('model_alias_events').selectAll().where('model_name', '=', model);
    if (alias) query = query.where('alias', '=', alias);
    const rows = await query.orderBy('id', 'desc').execute();
    return rows.map((r) => ({ alias: r.alias, fromVersion: r.from_version, toVersion: r.to_version, actor: r.actor, reason: r.reason, atMs: r.at_ms }));
  }

  /**
   * Applies the model's promotion rule to a candidate scored on the same window as production:
   * moves `production` only when it is really better, and records the decision and its reason as
   * tags on the candidate either way. The check and the move share one transaction.
   */
  async promoteIfBetter(
    model: string,
    version: number,
    scores: { candidate: Readonly<Record<string, number>>; production: Readonly<Record<string, number>> | null },
    options: { actor: string; minImprovement?: number; qualityFloor?: number },
  ): Promise<PromotionDecision> {
    const registered = await this.getRegisteredModel(model);
    await this.getModelVersion(model, version);
    const policy: PromotionPolicy = {
      metric: registered.primaryMetric,
      higherIsBetter: registered.higherIsBetter,
      ...(options.minImprovement === undefined ? {} : { minImprovement: options.minImprovement }),
      ...(options.qualityFloor === undefined ? {} : { qualityFloor: options.qualityFloor }),
    };
    const decision = decidePromotion(policy, scores.candidate, scores.production);
    await this.#db.transaction().execute(async (trx) => {
      const tag = (key: string, value: string) =>
        trx
          .insertInto('model_version_tags')
          .values({ model_name: model, version, key, value })
          .onConflict((oc) => oc.columns(['model_name', 'version', 'key']).doUpdateSet({ value }))
          .execute();
      await tag('promotion', decision.promote ? 'promoted' : 'rejected');
      await tag('promotion_reason', decision.reason);
      if (policy.qualityFloor !== undefined) await tag('quality', decision.passesQualityFloor ? 'good' : 'bad');
      if (decision.promote) await this.#moveAlias(trx, model, 'production', version, { actor: options.actor, reason: decision.reason });
    });
    return decision;
  }

  /** Moves an alias back to the version it pointed at before its last move. */
  async rollback(model: string, alias: string, audit: { actor: string; reason?: string }): Promise<ModelVersion> {
    const current = await this.#db.selectFrom('model_aliases').select('version').where('model_name', '=', model).where('alias', '=', alias).executeTakeFirst();
    if (!current) throw new TipsterError('TIPSTER_ERR_REGISTRY_ALIAS_NOT_FOUND', { model, alias });
    const [last] = await this.aliasHistory(model, alias);
    if (!last || last.fromVersion === null) throw new TipsterError('TIPSTER_ERR_REGISTRY_NOTHING_TO_ROLL_BACK', { model, alias });
    await this.setModelAlias(model, alias, last.fromVersion, { actor: audit.actor, reason: audit.reason ?? `rollback from version ${current.version}` });
    return this.getModelVersion(model, last.fromVersion);
  }

  async #moveAlias(trx: Kysely<Database>, model: string, alias: string, version: number, audit: { actor: string; reason: string }): Promise<void> {
    const now = this.#now();
    const previous = await trx.selectFrom('model_aliases').select('version').where('model_name', '=', model).where('alias', '=', alias).executeTakeFirst();
    if (previous?.version === version) return;
    await trx
      .insertInto('model_aliases')
      .values({ model_name: model, alias, version, updated_at_ms: now })
      .onConflict((oc) => oc.columns(['model_name', 'alias']).doUpdateSet({ version, updated_at_ms: now }))
      .execute();
    await trx
      .insertInto('model_alias_events')
      .values({ model_name: model, alias, from_version: previous?.version ?? null, to_version: version, actor: audit.actor, reason: audit.reason, at_ms: now })
      .execute();
  }

  /** Drops cached lookups once the registry's change counter moved (checked at most every cacheCheckMs). */
  async #revalidateCache(): Promise<void> {
    const now = this.#now();
    if (now - this.#cacheCheckedAtMs < this.#cacheCheckMs) return;
    this.#cacheCheckedAtMs = now;
    const row = await this.#db.selectFrom('model_alias_events').select((eb) => eb.fn.max('id').as('g')).executeTakeFirst();
    const generation = Number(row?.g ?? 0);
    if (generation !== this.#cacheGeneration) {
      this.#cache.clear();
      this.#cacheGeneration = generation;
    }
  }

  async #versions(model: string, version?: number): Promise<ModelVersion[]> {
    let query = this.#db.selectFrom('model_versions').selectAll().where('model_name', '=', model);
    if (version !== undefined) query = query.where('version', '=', version);
    const rows = await query.orderBy('version', 'desc').execute();
    if (rows.length === 0) return [];
    const versions = rows.map((r) => r.version);
    const tags = await this.#db.selectFrom('model_version_tags').selectAll().where('model_name', '=', model).where('version', 'in', versions).execute();
    const aliases = await this.#db.selectFrom('model_aliases').selectAll().where('model_name', '=', model).where('version', 'in', versions).orderBy('alias').execute();
    return rows.map((r) => ({
      model: r.model_name,
      version: r.version,
      runId: r.run_id,
      description: r.description,
      createdAtMs: r.created_at_ms,
      tags: Object.fromEntries(tags.filter((t) => t.version === r.version).map((t) => [t.key, t.value])),
      aliases: aliases.filter((a) => a.version === r.version).map((a) => a.alias),
    }));
  }
}

