import { TipsterError } from '../../core/errors.js';

/**
 * The football 1X2 task, one registered model per league: what is trained, how it is judged and
 * when a new version may replace `production`. Pipelines, the registry and serving read this object;
 * nothing about the task is spread across them.
 *
 * Candidates are score-grid models only: production must price every market the API serves (1X2,
 * over/under, both-teams-to-score, Asian handicap, exact scores), and only a goal model can. The
 * bookmakers' consensus is scored on the same matches as the benchmark to beat, never promoted.
 */
export const FOOTBALL_1X2_TASK = Object.freeze({
  task: 'football-1x2',
  primaryMetric: 'rps',
  higherIsBetter: false,
  /** Goal models differing in time decay (per day): slower and faster forgetting around the usual 0.0019. */
  candidates: Object.freeze(['dixon-coles-xi0.0012', 'dixon-coles-xi0.0019', 'dixon-coles-xi0.003', 'poisson-xi0.0019']),
  benchmark: 'market-consensus',
  /** Candidates are scored on the matches of the last two years before the as-of instant. */
  evaluationDays: 730,
  /** Each refit trains on the previous three years. */
  trainingWindowDays: 3 * 365,
  refitEveryDays: 7,
  /**
   * A new version must beat production's RPS by more than this on the same matches. Seasons of
   * candidates differ by a few 1e-4 from noise alone; churning production for less is not an improvement.
   */
  minImprovement: 0.0002,
  /** RPS of always predicting a league's usual home/draw/away shares is about 0.225: a model must do better. */
  qualityFloor: 0.225,
  /** Leagues with fewer finished matches before the evaluation window than this are not trained. */
  minTrainingMatches: 300,
});

/** The registered model of one league, e.g. `football-1x2-E0`. */
export function football1x2ModelName(league: string): string {
  return `${FOOTBALL_1X2_TASK.task}-${league}`;
}

/** What a registered version of `football-1x2-<league>` is: stored as its run's `model.json` artifact. */
export interface Football1x2ModelConfig {
  readonly task: typeof FOOTBALL_1X2_TASK.task;
  readonly league: string;
  /** A predictor name from the catalogue, e.g. `dixon-coles-xi0.0019`. */
  readonly predictor: string;
  readonly trainingWindowDays: number;
  /** The last kick-off (UTC ms, exclusive) the evaluation could see. */
  readonly trainedThroughMs: number;
}

/** Reads a stored `model.json` back, with a clear error when it is not one. */
export function parseFootball1x2ModelConfig(json: string, where: string): Football1x2ModelConfig {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new TipsterError('TIPSTER_ERR_MODEL_CONFIG_INVALID', { where, reason: `not JSON (${(error as Error).message})` });
  }
  const v = value as Partial<Football1x2ModelConfig> | null;
  if (
    v === null ||
    typeof v !== 'object' ||
    v.task !== FOOTBALL_1X2_TASK.task ||
    typeof v.league !== 'string' ||
    typeof v.predictor !== 'string' ||
    typeof v.trainingWindowDays !== 'number' ||
    typeof v.trainedThroughMs !== 'number'
  ) {
    throw new TipsterError('TIPSTER_ERR_MODEL_CONFIG_INVALID', {
      where,
      reason: 'expected {task: "football-1x2", league, predictor, trainingWindowDays, trainedThroughMs}',
    });
  }
  return v as Football1x2ModelConfig;
}
