/** Candidate models of the task, in preference order (ties in the primary metric go to the earlier one). */
export const NBA_SHOT_CANDIDATES = ['logistic-base', 'logistic-skill', 'gbt-base', 'gbt-skill', 'gbt-skill-platt', 'gbt-skill-offsets'] as const;
/** One of NBA_SHOT_CANDIDATES. */
export type NbaShotCandidate = (typeof NBA_SHOT_CANDIDATES)[number];

/** True when `value` is one of NBA_SHOT_CANDIDATES. */
export function isNbaShotCandidate(value: unknown): value is NbaShotCandidate {
  return (NBA_SHOT_CANDIDATES as readonly unknown[]).includes(value);
}

/**
 * The NBA shot-make task: will this field-goal attempt go in? One registered model, `nba-shot-make`.
 * Pipelines, the registry and serving read this object; nothing about the task is spread across them.
 *
 * Evaluation is time-ordered: candidates train on earlier game days and are scored on the latest
 * ones, where production is scored too, so a new version is compared on the same held-out games.
 */
export const NBA_SHOT_MAKE_TASK = Object.freeze({
  task: 'nba-shot-make',
  model: 'nba-shot-make',
  primaryMetric: 'log_loss',
  higherIsBetter: false,
  candidates: NBA_SHOT_CANDIDATES,
  /** Share of the latest game days held out for scoring (rounded up to whole days). */
  holdoutFraction: 0.25,
  /** Share of the training days (the latest ones) that early stopping and calibration look at. */
  validationFraction: 0.2,
  /** Fewer game days than this cannot be split into training, validation and held-out days. */
  minGameDays: 6,
  /**
   * A new version must beat production's log loss by more than this on the same shots. On ~12,000
   * held-out shots two equally good models differ by about 3e-4 from noise alone (game-level
   * bootstrap); churning production for less is not an improvement.
   */
  minImprovement: 0.0003,
  /** Always saying the league's make rate (~47%) scores about 0.691: a model must clearly beat that. */
  qualityFloor: 0.68,
  /** The retrain pipeline runs when at least this many verified predictions arrived since its last success. */
  minNewLabels: 100,
});

/** Learner settings, shared by the pipeline, `tipster nba evaluate` and the benchmark. */
export const NBA_LEARNER_SETTINGS = Object.freeze({
  /** λ of the mean-loss objective on standardised features (scikit-learn C ≈ 1 / (λ · rows)). */
  logistic: Object.freeze({ l2: 1e-3, maxIterations: 500, gradientTolerance: 1e-5 }),
  /** Smaller trees and a slower rate than scikit-learn's defaults: shot outcomes are mostly noise. */
  gbt: Object.freeze({
    learningRate: 0.05,
    maxIterations: 1000,
    maxLeafNodes: 15,
    minSamplesLeaf: 100,
    l2Regularization: 1,
    maxBins: 255,
    earlyStopping: Object.freeze({ iterationsNoChange: 10, tolerance: 1e-7 }),
  }),
});
