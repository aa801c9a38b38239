import type { Kysely } from 'kysely';
import type { Database } from '../../store/database-schema.js';
import type { ModelRegistry, ModelVersion } from '../../tracking/model-registry.js';
import type { TrackingStore } from '../../tracking/tracking-store.js';
import { football1x2ModelName, parseFootball1x2ModelConfig, type Football1x2ModelConfig } from './football-1x2-task.js';

/** The artifact path of a version's configuration in its run. */
export const MODEL_CONFIG_ARTIFACT = 'model.json';

/** A registered version together with the configuration it stands for. */
export interface FootballModelVersion {
  readonly version: ModelVersion;
  readonly config: Football1x2ModelConfig;
}

/** The version of `football-1x2-<league>` an alias points at (default `production`), or undefined. */
export async function footballModelByAlias(
  registry: ModelRegistry,
  tracking: TrackingStore,
  league: string,
  alias = 'production',
): Promise<FootballModelVersion | undefined> {
  const model = football1x2ModelName(league);
  const version = await registry.getModelVersionByAlias(model, alias);
  if (!version) return undefined;
  const artifact = await tracking.getArtifact(version.runId, MODEL_CONFIG_ARTIFACT);
  const config = parseFootball1x2ModelConfig(Buffer.from(artifact.content).toString('utf8'), `${model} version ${version.version}`);
  return { version, config };
}

/** One stored prediction of a model version for a match. */
export interface MatchPrediction {
  readonly matchId: number;
  readonly modelName: string;
  readonly modelVersion: number;
  readonly asOfMs: number;
  readonly predictedAtMs: number;
  readonly home: number;
  readonly draw: number;
  readonly away: number;
  readonly homeGoalsExpected: number | null;
  readonly awayGoalsExpected: number | null;
  readonly pipelineRunId: string | null;
}

/**
 * Stores predictions in one transaction. A version predicts a match once: writing it again (a retried
 * task, a rerun of the same version) replaces the figures, so reruns never duplicate rows.
 */
export async function saveMatchPredictions(db: Kysely<Database>, predictions: readonly MatchPrediction[]): Promise<void> {
  if (predictions.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < predictions.length; i += 200) {
      const rows = predictions.slice(i, i + 200).map((p) => ({
        match_id: p.matchId,
        model_name: p.modelName,
        model_version: p.modelVersion,
        as_of_ms: p.asOfMs,
        predicted_at_ms: p.predictedAtMs,
        p_home: p.home,
        p_draw: p.draw,
        p_away: p.away,
        home_goals_expected: p.homeGoalsExpected,
        away_goals_expected: p.awayGoalsExpected,
        pipeline_run_id: p.pipelineRunId,
      }));
      await trx
        .insertInto('match_predictions')
        .values(rows)
        .onConflict((oc) =>
          oc.columns(['match_id', 'model_name', 'model_version']).doUpdateSet((eb) => ({
            as_of_ms: eb.ref('excluded.as_of_ms'),
            predicted_at_ms: eb.ref('excluded.predicted_at_ms'),
            p_home: eb.ref('excluded.p_home'),
            p_draw: eb.ref('excluded.p_draw'),
            p_away: eb.ref('excluded.p_away'),
            home_goals_expected: eb.ref('excluded.home_goals_expected'),
            away_goals_expected: eb.ref('excluded.away_goals_expected'),
            pipeline_run_id: eb.ref('excluded.pipeline_run_id'),
          })),
        )
        .execute();
    }
  });
}

/** Stored predictions of one model version, by match id. */
export async function listMatchPredictions(db: Kysely<Database>, modelName: string, modelVersion: number): Promise<MatchPrediction[]> {
  const rows = await db
    .selectFrom('match_predictions')
    .selectAll()
    .where('model_name', '=', modelName)
    .where('model_version', '=', modelVersion)
    .orderBy('match_id')
    .execute();
  return rows.map((r) => ({
    matchId: r.match_id,
    modelName: r.model_name,
    modelVersion: r.model_version,
    asOfMs: r.as_of_ms,
    predictedAtMs: r.predicted_at_ms,
    home: r.p_home,
    draw: r.p_draw,
    away: r.p_away,
    homeGoalsExpected: r.home_goals_expected,
    awayGoalsExpected: r.away_goals_expected,
    pipelineRunId: r.pipeline_run_id,
  }));
}
