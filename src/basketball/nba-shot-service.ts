import { TipsterError } from '../core/errors.js';
import type { Store } from '../store/store.js';
import { ModelRegistry } from '../tracking/model-registry.js';
import { TrackingStore } from '../tracking/tracking-store.js';
import { describeShot, type ShotDescription } from './shot-description.js';
import {
  createShotPredictions,
  getShotPrediction,
  listShotVerifications,
  randomUnverifiedShotPrediction,
  verifyShotPrediction,
  type ShotPrediction,
  type ShotVerification,
  type VerificationResult,
} from './store/shot-predictions.js';
import { loadNbaShotModelVersion, type LoadedNbaShotModel } from './training/nba-model-store.js';
import { NBA_SHOT_MAKE_TASK } from './training/nba-shot-make-task.js';
import type { NbaShotModel } from './training/nba-shot-model.js';

/** Most shots one predict call scores. */
export const MAX_SHOTS_PER_PREDICTION = 1_000;

/** Options of NbaShotService. */
export interface NbaShotServiceOptions {
  readonly registry?: ModelRegistry;
  readonly tracking?: TrackingStore;
  readonly now?: () => number;
}

/**
 * What the API (or any caller) needs for NBA shots: predict shots with the model an alias points
 * at (storing every prediction for later verification), verify outcomes, fetch one to review.
 * Parsed models are cached per registered version; an alias moved by any process is seen at the
 * registry's cache interval, and the new version is loaded once.
 */
export class NbaShotService {
  readonly #store: Store;
  readonly #registry: ModelRegistry;
  readonly #tracking: TrackingStore;
  readonly #now: () => number;
  readonly #models = new Map<string, Promise<NbaShotModel>>();

  constructor(store: Store, options: NbaShotServiceOptions = {}) {
    this.#store = store;
    this.#now = options.now ?? Date.now;
    this.#registry = options.registry ?? new ModelRegistry(store, { now: this.#now });
    this.#tracking = options.tracking ?? new TrackingStore(store, { now: this.#now });
  }

  /** The version an alias points at with its model; TIPSTER_ERR_REGISTRY_ALIAS_NOT_FOUND when none. */
  async model(alias = 'production'): Promise<LoadedNbaShotModel> {
    const version = await this.#registry.getModelVersionByAlias(NBA_SHOT_MAKE_TASK.model, alias);
    if (!version) throw new TipsterError('TIPSTER_ERR_REGISTRY_ALIAS_NOT_FOUND', { model: NBA_SHOT_MAKE_TASK.model, alias });
    const key = `${version.version}:${version.runId}`;
    let model = this.#models.get(key);
    if (model === undefined) {
      model = loadNbaShotModelVersion(this.#tracking, version);
      model.catch(() => this.#models.delete(key));
      // Keep the last few versions only: rollbacks stay fast, memory stays bounded.
      if (this.#models.size >= 4) this.#models.delete(this.#models.keys().next().value!);
      this.#models.set(key, model);
    }
    return { version, model: await model };
  }

  /**
   * Scores shots as people describe them and stores one prediction per shot (one transaction),
   * each with its id, the model version and the features it saw. Invalid shots fail the whole
   * call with TIPSTER_ERR_NBA_SHOT_INVALID naming the shot.
   */
  async predict(
    shots: readonly ShotDescription[],
    options: { createdByUserId?: number | null; alias?: string } = {},
  ): Promise<{ readonly modelName: string; readonly modelVersion: number; readonly predictions: ShotPrediction[] }> {
    if (shots.length === 0 || shots.length > MAX_SHOTS_PER_PREDICTION) {
      throw new TipsterError('TIPSTER_ERR_NBA_SHOT_INVALID', { reason: `send between 1 and ${MAX_SHOTS_PER_PREDICTION} shots, got ${shots.length}` });
    }
    const described = shots.map((shot, i) => {
      try {
        return describeShot(shot);
      } catch (error) {
        if (error instanceof TipsterError && shots.length > 1) {
          throw new TipsterError('TIPSTER_ERR_NBA_SHOT_INVALID', { reason: `shot ${i + 1}: ${String(error.params.reason)}` });
        }
        throw error;
      }
    });
    const { version, model } = await this.model(options.alias);
    const scores = model.score(described);
    const predictions = await createShotPredictions(
      this.#store.db,
      described.map((shot, i) => ({
        modelName: version.model,
        modelVersion: version.version,
        shot,
        features: scores[i]!.features,
        probability: scores[i]!.probability,
        createdByUserId: options.createdByUserId ?? null,
      })),
      { now: this.#now },
    );
    return { modelName: version.model, modelVersion: version.version, predictions };
  }

  /** Records a user's verdict; see verifyShotPrediction for the rules. */
  verify(predictionId: string, userId: number, made: boolean): Promise<VerificationResult> {
    return verifyShotPrediction(this.#store.db, { predictionId, userId, made }, { now: this.#now });
  }

  /** A random prediction nobody has verified, or undefined. */
  randomUnverified(options: { excludeCreatedBy?: number } = {}): Promise<ShotPrediction | undefined> {
    return randomUnverifiedShotPrediction(this.#store.db, options);
  }

  /** One prediction with its label. */
  get(predictionId: string): Promise<ShotPrediction> {
    return getShotPrediction(this.#store.db, predictionId);
  }

  /** A prediction's verification trail (who said what, when), oldest first. */
  verifications(predictionId: string): Promise<ShotVerification[]> {
    return listShotVerifications(this.#store.db, predictionId);
  }
}
