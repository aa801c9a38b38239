import { createDataset, createFeatureMatrix } from '../../ml/dataset.js';
import { GradientBoostedTrees } from '../../ml/gradient-boosting/gradient-boosted-trees.js';
import { LogisticRegression } from '../../ml/logistic-regression.js';
import type { OneXTwoPredictor, PredictorSpec } from '../backtest/one-x-two-predictor.js';
import { MatchFeatureBuilder, MATCH_FEATURES } from '../features/match-features.js';
import { outcomeOf } from '../football-match.js';
import type { Fixture, OneXTwoProbabilities, PlayedMatch } from '../football-match.js';

const DAY_MS = 86_400_000;
const CLASS_NAMES = ['home', 'draw', 'away'] as const;
/** Fewer training rows than this and the learner would mostly learn noise: abstain. */
const MIN_ROWS = 300;

/** A learner over the engineered match features that returns n × 3 (home, draw, away) probabilities. */
export interface FeatureLearner {
  predict(values: Float64Array, rows: number): Float64Array;
}

/** Trains a learner on column-major features and outcomes (oldest first). */
export type FeatureLearnerFactory = (values: Float64Array, rows: number, outcomes: Int32Array) => FeatureLearner;

export interface FeatureModelOptions {
  /** Refit the learner at most this often (features are still rebuilt at every refit). Default 28. */
  readonly learnerRefitDays?: number;
  /** Leave the market-probability features out (a football-only model). */
  readonly withoutMarket?: boolean;
}

/**
 * A model over engineered, leak-free features: ratings, rolling form and shots, rest days and
 * (optionally) the bookmakers' consensus. One feature builder lives across refits and learns each
 * new match once, so ratings and form run over the whole past (not just the training window) and
 * a refit costs only the week's new matches. The learner trains on the rows inside the window and
 * is retrained every few weeks, since it changes slowly and costs the most.
 */
export class FeatureModelPredictor implements OneXTwoPredictor {
  readonly #train: FeatureLearnerFactory;
  readonly #refitMs: number;
  readonly #builder: MatchFeatureBuilder;
  /** matchId → features before kick-off and the outcome, for every match learned so far. */
  readonly #rows = new Map<number, { features: Float64Array; outcome: number; kickoffAtMs: number }>();
  #learner: FeatureLearner | undefined;
  #learnerFittedAtMs = Number.NEGATIVE_INFINITY;

  constructor(train: FeatureLearnerFactory, options: FeatureModelOptions = {}) {
    this.#train = train;
    this.#refitMs = (options.learnerRefitDays ?? 28) * DAY_MS;
    this.#builder = new MatchFeatureBuilder({ withoutMarket: options.withoutMarket ?? false });
  }

  fit(history: readonly PlayedMatch[], asOfMs: number): void {
    for (const match of history) {
      if (this.#rows.has(match.matchId) || match.kickoffAtMs < this.#builder.lastKickoffMs) continue;
      this.#rows.set(match.matchId, {
        features: this.#builder.add(match),
        outcome: outcomeOf(match.homeGoals, match.awayGoals),
        kickoffAtMs: match.kickoffAtMs,
      });
    }
    const windowStartMs = history[0]?.kickoffAtMs ?? asOfMs;
    for (const [id, row] of this.#rows) if (row.kickoffAtMs < windowStartMs) this.#rows.delete(id);
    const rows = history.filter((m) => this.#rows.has(m.matchId)).length;
    if (rows < MIN_ROWS) {
      this.#learner = undefined;
      return;
    }
    if (this.#learner !== undefined && asOfMs - this.#learnerFittedAtMs < this.#refitMs) return;
    const values = new Float64Array(MATCH_FEATURES.length * rows);
    const outcomes = new Int32Array(rows);
    let r = 0;
    for (const match of history) {
      const row = this.#rows.get(match.matchId);
      if (!row) continue;
      for (let f = 0; f < MATCH_FEATURES.length; f++) values[f * rows + r] = row.features[f]!;
      outcomes[r++] = row.outcome;
    }
    this.#learner = this.#train(values, rows, outcomes);
    this.#learnerFittedAtMs = asOfMs;
  }

  predict(fixture: Fixture): OneXTwoProbabilities | undefined {
    if (!this.#learner) return undefined;
    const p = this.#learner.predict(this.#builder.featuresOf(fixture), 1);
    return { home: p[0]!, draw: p[1]!, away: p[2]! };
  }
}

/**
 * Histogram gradient-boosted trees, small and strongly regularised (a league has ~1,100 matches in
 * three years); the latest 15 % of the window is the early-stopping validation set, in time order.
 */
export const gradientBoostingLearner: FeatureLearnerFactory = (values, rows, outcomes) => {
  const validationRows = Math.floor(rows * 0.15);
  const trainRows = rows - validationRows;
  const slice = (from: number, to: number) => {
    const n = to - from;
    const out = new Float64Array(MATCH_FEATURES.length * n);
    for (let f = 0; f < MATCH_FEATURES.length; f++) out.set(values.subarray(f * rows + from, f * rows + to), f * n);
    return createDataset({ featureNames: MATCH_FEATURES, values: out, classNames: CLASS_NAMES, labels: outcomes.subarray(from, to) });
  };
  const model = GradientBoostedTrees.fit(
    slice(0, trainRows),
    { learningRate: 0.1, maxIterations: 100, maxLeafNodes: 8, minSamplesLeaf: 40, l2Regularization: 1, earlyStopping: { iterationsNoChange: 10 } },
    slice(trainRows, rows),
  );
  return { predict: (x) => model.predictProba(createFeatureMatrix({ featureNames: MATCH_FEATURES, values: x })) };
};

/** `gbt`: gradient-boosted trees on the engineered features (market included). */
export const gradientBoostingPredictorSpec: PredictorSpec = {
  name: 'gbt',
  label: 'gradient-boosted trees on ratings, form, shots, rest and market features',
  // Trees are the costliest learner and change slowly: retrained every 8 weeks, features still weekly.
  create: () => new FeatureModelPredictor(gradientBoostingLearner, { learnerRefitDays: 56 }),
};

/** Multinomial logistic regression (L2, standardised features, missing values mean-imputed). */
export const logisticLearner: FeatureLearnerFactory = (values, rows, outcomes) => {
  const model = LogisticRegression.fit(
    createDataset({ featureNames: MATCH_FEATURES, values, classNames: CLASS_NAMES, labels: outcomes }),
    // A weekly-refit model needs probabilities right to ~1e-6, not the last digit of the optimum.
    { l2: 1e-2, gradientTolerance: 1e-6 },
  );
  return { predict: (x) => model.predictProba(createFeatureMatrix({ featureNames: MATCH_FEATURES, values: x })) };
};

/** `logistic`: multinomial logistic regression on the engineered features (market included). */
export const logisticPredictorSpec: PredictorSpec = {
  name: 'logistic',
  label: 'multinomial logistic regression on ratings, form, shots, rest and market features',
  create: () => new FeatureModelPredictor(logisticLearner, { learnerRefitDays: 56 }),
};
