import { TipsterError } from '../../core/errors.js';
import { loadFootballDataset } from '../../store/football-dataset-repository.js';
import type { Store } from '../../store/store.js';
import type { ModelRegistry } from '../../tracking/model-registry.js';
import type { TrackingStore } from '../../tracking/tracking-store.js';
import type { GoalModel, RateOptions } from '../models/goal-model.js';
import { GoalModelPredictor } from '../predictors/goal-model-predictor.js';
import { predictorSpec } from '../predictors/predictor-catalogue.js';
import type { ScoreGrid } from '../score-grid.js';
import { football1x2ModelName, parseFootball1x2ModelConfig, type Football1x2ModelConfig } from '../training/football-1x2-task.js';
import { MODEL_CONFIG_ARTIFACT } from '../training/football-model-store.js';

const DAY_MS = 86_400_000;

/** A production configuration refitted on the results known before the start of one as-of day. */
export interface ServingModel {
  readonly league: string;
  readonly modelName: string;
  readonly version: number;
  readonly predictor: string;
  /** Start (UTC midnight) of the as-of day: only kick-offs before it were training data. */
  readonly fittedAsOfMs: number;
  readonly trainingMatches: number;
  readonly fitDurationMs: number;
  /** The score grid of a pairing (memoised: serving asks for the same fixtures again and again). */
  grid(homeTeam: string, awayTeam: string, options?: RateOptions): ScoreGrid;
}

/** One loaded model as the status page shows it. */
export interface LoadedModelSummary {
  readonly league: string;
  readonly modelName: string;
  readonly version: number;
  readonly predictor: string;
  readonly fittedAsOf: string;
  readonly trainingMatches: number;
  readonly fitDurationMs: number;
}

export interface FootballModelCacheOptions {
  readonly store: Store;
  readonly registry: ModelRegistry;
  readonly tracking: TrackingStore;
  /** Fitted models kept (league × version × as-of day); the least recently used goes first. */
  readonly maxModels?: number;
}

const GRID_MEMO_LIMIT = 2_000;

/**
 * Serves the production model of each league. Every call asks the registry which version the
 * `production` alias points at (the registry caches that and re-validates it against its change
 * counter, so a promotion made by any process is seen within a second, without a restart), then
 * returns that version's configuration refitted on the results known before the as-of day. Fits are
 * keyed by (league, version, as-of day) and shared by concurrent callers.
 */
export class FootballModelCache {
  readonly #store: Store;
  readonly #registry: ModelRegistry;
  readonly #tracking: TrackingStore;
  readonly #maxModels: number;
  readonly #configs = new Map<string, Promise<Football1x2ModelConfig>>();
  readonly #models = new Map<string, Promise<ServingModel>>();

  constructor(options: FootballModelCacheOptions) {
    this.#store = options.store;
    this.#registry = options.registry;
    this.#tracking = options.tracking;
    this.#maxModels = options.maxModels ?? 32;
  }

  /** The production model of `league` as of `asOfMs`, or undefined when the league has none. */
  async forLeague(league: string, asOfMs: number): Promise<ServingModel | undefined> {
    const modelName = football1x2ModelName(league);
    const version = await this.#registry.getModelVersionByAlias(modelName, 'production');
    if (!version) return undefined;
    const dayMs = Math.floor(asOfMs / DAY_MS) * DAY_MS;
    const key = `${modelName}@${version.version}@${dayMs}`;
    let model = this.#models.get(key);
    if (model) {
      // Refresh its place in the LRU order.
      this.#models.delete(key);
      this.#models.set(key, model);
      return model;
    }
    model = this.#fit(league, modelName, version.version, version.runId, dayMs);
    this.#models.set(key, model);
    model.catch(() => this.#models.delete(key));
    while (this.#models.size > this.#maxModels) this.#models.delete(this.#models.keys().next().value!);
    return model;
  }

  /** The production model of `league` as of `asOfMs`; a 404 problem when there is none. */
  async requireLeague(league: string, asOfMs: number): Promise<ServingModel> {
    const model = await this.forLeague(league, asOfMs);
    if (!model) throw new TipsterError('TIPSTER_ERR_FOOTBALL_NO_PRODUCTION_MODEL', { competition: league });
    return model;
  }

  /** Every fitted model held now (for /api/v1/status). */
  async loaded(): Promise<LoadedModelSummary[]> {
    const settled = await Promise.allSettled([...this.#models.values()]);
    const out: LoadedModelSummary[] = [];
    for (const s of settled) {
      if (s.status !== 'fulfilled') continue;
      const m = s.value;
      out.push({
        league: m.league,
        modelName: m.modelName,
        version: m.version,
        predictor: m.predictor,
        fittedAsOf: new Date(m.fittedAsOfMs).toISOString(),
        trainingMatches: m.trainingMatches,
        fitDurationMs: m.fitDurationMs,
      });
    }
    return out;
  }

  #config(modelName: string, version: number, runId: string): Promise<Football1x2ModelConfig> {
    const key = `${modelName}@${version}`;
    let config = this.#configs.get(key);
    if (!config) {
      // A version's configuration never changes: read its artifact once per process.
      config = this.#tracking
        .getArtifact(runId, MODEL_CONFIG_ARTIFACT)
        .then((artifact) => parseFootball1x2ModelConfig(Buffer.from(artifact.content).toString('utf8'), `${modelName} version ${version}`));
      this.#configs.set(key, config);
      config.catch(() => this.#configs.delete(key));
    }
    return config;
  }

  async #fit(league: string, modelName: string, version: number, runId: string, dayMs: number): Promise<ServingModel> {
    const config = await this.#config(modelName, version, runId);
    const started = performance.now();
    const fromMs = dayMs - config.trainingWindowDays * DAY_MS;
    const { played } = await loadFootballDataset(this.#store.db, { competitions: [league], fromStartYear: new Date(fromMs).getUTCFullYear() - 1 });
    const history = played.filter((m) => m.kickoffAtMs < dayMs && m.kickoffAtMs >= fromMs);
    const predictor = predictorSpec(config.predictor, { xi: 0.0019 }).create();
    predictor.fit(history, dayMs);
    const goalModel: GoalModel | undefined = predictor instanceof GoalModelPredictor ? predictor.model : undefined;
    if (!goalModel) {
      throw new TipsterError('TIPSTER_ERR_FOOTBALL_NOT_ENOUGH_HISTORY', {
        competition: league,
        asOf: new Date(dayMs).toISOString().slice(0, 10),
        detail: `${config.predictor} needs at least 100 finished matches in the ${config.trainingWindowDays} days before, found ${history.length}`,
      });
    }
    const fitDurationMs = performance.now() - started;
    const memo = new Map<string, ScoreGrid>();
    return Object.freeze({
      league,
      modelName,
      version,
      predictor: config.predictor,
      fittedAsOfMs: dayMs,
      trainingMatches: history.length,
      fitDurationMs,
      grid(homeTeam: string, awayTeam: string, options: RateOptions = {}): ScoreGrid {
        const key = `${homeTeam}\u0000${awayTeam}\u0000${options.neutral === true ? 1 : 0}`;
        let grid = memo.get(key);
        if (!grid) {
          grid = goalModel.predict(homeTeam, awayTeam, options);
          if (memo.size >= GRID_MEMO_LIMIT) memo.clear();
          memo.set(key, grid);
        }
        return grid;
      },
    });
  }
}
