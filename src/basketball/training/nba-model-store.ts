import type { ModelRegistry, ModelVersion } from '../../tracking/model-registry.js';
import type { TrackingStore } from '../../tracking/tracking-store.js';
import { NBA_SHOT_MAKE_TASK } from './nba-shot-make-task.js';
import { NbaShotModel } from './nba-shot-model.js';

/** The artifact path of a version's model in its run. */
export const NBA_MODEL_ARTIFACT = 'model.json';

/** A registered version together with the model it stands for. */
export interface LoadedNbaShotModel {
  readonly version: ModelVersion;
  readonly model: NbaShotModel;
}

/** Reads the model a registered version's run stored. */
export async function loadNbaShotModelVersion(tracking: TrackingStore, version: ModelVersion): Promise<NbaShotModel> {
  const artifact = await tracking.getArtifact(version.runId, NBA_MODEL_ARTIFACT);
  return NbaShotModel.fromJSON(JSON.parse(Buffer.from(artifact.content).toString('utf8')), `${version.model} version ${version.version}`);
}

/** The version of `nba-shot-make` an alias points at (default `production`) with its model, or undefined. */
export async function nbaShotModelByAlias(registry: ModelRegistry, tracking: TrackingStore, alias = 'production'): Promise<LoadedNbaShotModel | undefined> {
  const version = await registry.getModelVersionByAlias(NBA_SHOT_MAKE_TASK.model, alias);
  if (!version) return undefined;
  return { version, model: await loadNbaShotModelVersion(tracking, version) };
}
