import path from 'node:path';
import { FOOTBALL_1X2_TASK, football1x2ModelName } from '../../src/football/training/football-1x2-task.js';
import { MODEL_CONFIG_ARTIFACT } from '../../src/football/training/football-model-store.js';
import { resolveFootballDataSources } from '../../src/ingest/football-data/football-data-sources.js';
import { loadFootballData } from '../../src/ingest/football-data/load-football-data.js';
import type { Store } from '../../src/store/store.js';
import { ModelRegistry } from '../../src/tracking/model-registry.js';
import { TrackingStore } from '../../src/tracking/tracking-store.js';
import { SHARED_FOOTBALL_DATA } from '../support/shared-data.js';

/** As of 1 March 2023 the 2022/23 Premier League has about 90 matches to go, with odds. */
export const DEMO_AS_OF = '2023-03-01';

/** Loads Premier League seasons (three years of training before the demo as-of date) into the store. */
export async function loadPremierLeague(store: Store, seasons: readonly string[] = ['1920', '2021', '2122', '2223']): Promise<void> {
  const files = seasons.map((s) => path.join(SHARED_FOOTBALL_DATA, 'E0', `${s}.csv`));
  await loadFootballData(store, await resolveFootballDataSources(files, process.cwd()));
}

/**
 * Registers a production version of football-1x2-<league> straight in the registry (a tracked run
 * with its model.json), instead of running football-weekly: the same thing serving reads, in milliseconds.
 */
export async function registerProductionModel(store: Store, league = 'E0', predictor = 'dixon-coles-xi0.0019'): Promise<number> {
  const tracking = new TrackingStore(store);
  const registry = new ModelRegistry(store);
  const model = football1x2ModelName(league);
  await registry.registerModel({ name: model, task: FOOTBALL_1X2_TASK.task, primaryMetric: 'rps', higherIsBetter: false });
  const runId = await tracking.createRun({ experiment: model, name: `${predictor} (test)` });
  const config = { task: FOOTBALL_1X2_TASK.task, league, predictor, trainingWindowDays: FOOTBALL_1X2_TASK.trainingWindowDays, trainedThroughMs: Date.UTC(2023, 0, 1) };
  await tracking.logArtifact(runId, MODEL_CONFIG_ARTIFACT, Buffer.from(JSON.stringify(config)), 'application/json');
  await tracking.endRun(runId);
  const version = await registry.createModelVersion(model, runId, { tags: { predictor } });
  await registry.setModelAlias(model, 'production', version.version, { actor: 'test', reason: 'test fixture' });
  return version.version;
}
