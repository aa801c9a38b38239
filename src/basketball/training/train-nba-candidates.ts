import { BinaryCalibration } from '../../ml/calibration.js';
import { createDataset } from '../../ml/dataset.js';
import type { TrainingCurve } from '../../ml/gradient-boosting/booster.js';
import { GradientBoostedTrees } from '../../ml/gradient-boosting/gradient-boosted-trees.js';
import { LogisticRegression } from '../../ml/logistic-regression.js';
import type { ReliabilityTable } from '../../ml/metrics/reliability-table.js';
import { ShotEncoder } from '../features/shot-encoder.js';
import { ShotMakingOffsets } from '../features/shot-making-offsets.js';
import { selectRows, type FeatureSetName } from '../features/shot-features.js';
import { NBA_LEARNER_SETTINGS, type NbaShotCandidate } from './nba-shot-make-task.js';
import { NbaShotModel } from './nba-shot-model.js';
import type { NbaTrainingData } from './nba-training-data.js';
import { scoreShots, type ShotScores } from './shot-metrics.js';

const CLASSES = ['missed', 'made'] as const;

/** One trained candidate, scored on the held-out shots. */
export interface TrainedCandidate {
  readonly candidate: NbaShotCandidate;
  readonly model: NbaShotModel;
  readonly holdout: ShotScores;
  readonly reliability: ReliabilityTable;
  /** Wall time of the fit (shared fits are counted once, by the first candidate using them). */
  readonly trainMs: number;
  /** Settings and optimiser facts worth recording with the run. */
  readonly params: Readonly<Record<string, string | number | boolean>>;
  /** Loss per boosting iteration on the fit and validation rows (trees only). */
  readonly trainingCurve: TrainingCurve | null;
}

interface CandidateSpec {
  readonly learner: 'logistic' | 'gbt';
  readonly featureSet: FeatureSetName;
  readonly calibration: 'platt' | null;
  /** Add shrunk player and defence shot-making offsets to the learner's log-odds. */
  readonly offsets: boolean;
}

const SPECS: Readonly<Record<NbaShotCandidate, CandidateSpec>> = {
  'logistic-base': { learner: 'logistic', featureSet: 'base', calibration: null, offsets: false },
  'logistic-skill': { learner: 'logistic', featureSet: 'skill', calibration: null, offsets: false },
  'gbt-base': { learner: 'gbt', featureSet: 'base', calibration: null, offsets: false },
  'gbt-skill': { learner: 'gbt', featureSet: 'skill', calibration: null, offsets: false },
  'gbt-skill-platt': { learner: 'gbt', featureSet: 'skill', calibration: 'platt', offsets: false },
  // gbt-base's trees, plus the shooter's (inside, jumpers) and the defence's shot-making above
  // what those trees expect: see shot-making-offsets.ts and docs/models.md.
  'gbt-skill-offsets': { learner: 'gbt', featureSet: 'base', calibration: null, offsets: true },
};

/**
 * Trains candidates on a time split and scores each on the held-out shots. Logistic regression
 * fits every training row; trees fit the earlier rows and stop early on the validation days; a
 * Platt-calibrated variant reuses its trees and fits the calibration on the validation days.
 * Candidates sharing a fit share it (`gbt-skill` and `gbt-skill-platt` grow one set of trees).
 * Yields to the event loop between candidates, so a pipeline's heartbeats and aborts get through.
 */
export async function trainNbaCandidates(
  candidates: readonly NbaShotCandidate[],
  data: NbaTrainingData,
  options: { onCandidate?: (trained: TrainedCandidate) => void; signal?: AbortSignal } = {},
): Promise<TrainedCandidate[]> {
  const trainingRows = Int32Array.from([...data.fitRows, ...data.validationRows]);
  const encoders = new Map<FeatureSetName, ShotEncoder>();
  const encoder = (set: FeatureSetName) => {
    let e = encoders.get(set);
    if (e === undefined) encoders.set(set, (e = ShotEncoder.fit(selectRows(data.table, trainingRows), set)));
    return e;
  };
  const labels = (rows: Int32Array) => Int32Array.from(rows, (r) => data.made[r]!);
  const holdoutMade = labels(data.holdoutRows);
  const trees = new Map<FeatureSetName, { model: GradientBoostedTrees; trainMs: number }>();
  const results: TrainedCandidate[] = [];

  for (const candidate of candidates) {
    await new Promise((resolve) => setImmediate(resolve));
    options.signal?.throwIfAborted();
    const spec = SPECS[candidate];
    const enc = encoder(spec.featureSet);
    const started = performance.now();
    let model: NbaShotModel;
    let trainMs: number;
    let params: Record<string, string | number | boolean>;
    let curve: TrainingCurve | null = null;
    const common = { feature_set: spec.featureSet, fit_shots: data.fitRows.length, validation_shots: data.validationRows.length };
    if (spec.learner === 'logistic') {
      const matrix = enc.logisticMatrix(selectRows(data.table, trainingRows));
      const fitted = LogisticRegression.fit(createDataset({ ...matrix, classNames: CLASSES, labels: labels(trainingRows) }), NBA_LEARNER_SETTINGS.logistic);
      model = modelOf(candidate, enc, { kind: 'logistic', model: fitted }, null, spec.offsets, data, trainingRows.length);
      trainMs = performance.now() - started;
      params = {
        ...common,
        learner: 'logistic-regression',
        l2: NBA_LEARNER_SETTINGS.logistic.l2,
        design_columns: matrix.featureNames.length,
        converged: fitted.optimization.converged,
        optimizer_iterations: fitted.optimization.iterations,
      };
    } else {
      let shared = trees.get(spec.featureSet);
      if (shared === undefined) {
        const fitSet = createDataset({ ...enc.treeMatrix(selectRows(data.table, data.fitRows)), classNames: CLASSES, labels: labels(data.fitRows) });
        const validationSet = createDataset({ ...enc.treeMatrix(selectRows(data.table, data.validationRows)), classNames: CLASSES, labels: labels(data.validationRows) });
        const fitted = GradientBoostedTrees.fit(fitSet, NBA_LEARNER_SETTINGS.gbt, validationSet);
        shared = { model: fitted, trainMs: performance.now() - started };
        trees.set(spec.featureSet, shared);
      }
      let calibration: BinaryCalibration | null = null;
      if (spec.calibration !== null) {
        const raw = shared.model.predictProba(enc.treeMatrix(selectRows(data.table, data.validationRows)));
        const p = Float64Array.from({ length: data.validationRows.length }, (_, r) => raw[2 * r + 1]!);
        calibration = BinaryCalibration.fit(spec.calibration, p, labels(data.validationRows));
      }
      model = modelOf(candidate, enc, { kind: 'gbt', model: shared.model }, calibration, spec.offsets, data, data.fitRows.length);
      trainMs = performance.now() - started;
      curve = shared.model.trainingCurve;
      const s = NBA_LEARNER_SETTINGS.gbt;
      params = {
        ...common,
        learner: 'gradient-boosted-trees',
        learning_rate: s.learningRate,
        max_leaf_nodes: s.maxLeafNodes,
        min_samples_leaf: s.minSamplesLeaf,
        l2_regularization: s.l2Regularization,
        max_iterations: s.maxIterations,
        iterations: shared.model.iterations,
        stopped_early: shared.model.trainingCurve?.stoppedEarly ?? false,
        calibration: spec.calibration ?? 'none',
        shot_making_offsets: spec.offsets,
      };
    }
    const { scores, reliability } = scoreShots(model.heldOutProbabilities(data), holdoutMade);
    const trained: TrainedCandidate = { candidate, model, holdout: scores, reliability, trainMs, params, trainingCurve: curve };
    options.onCandidate?.(trained);
    results.push(trained);
  }
  return results;
}

function modelOf(
  candidate: NbaShotCandidate,
  encoder: ShotEncoder,
  learner: NbaShotModel['learner'],
  calibration: BinaryCalibration | null,
  withOffsets: boolean,
  data: NbaTrainingData,
  trainingShots: number,
): NbaShotModel {
  const model = new NbaShotModel({
    candidate,
    encoder,
    learner,
    calibration,
    skill: data.skill,
    offsets: null,
    trainedThroughDayMs: data.holdoutFromDayMs - 86_400_000,
    trainingShots,
  });
  if (!withOffsets) return model;
  // Serving offsets count every labelled shot, held-out days and feedback included, as the skill tables do.
  const expected = model.expectationsOf(data.table);
  const offsets = new ShotMakingOffsets();
  data.shots.forEach((shot, r) => offsets.add(shot, shot.made, expected[r]!, shot.dayMs));
  return model.withOffsets(offsets);
}

/** The candidate with the lowest held-out log loss; ties go to the earlier one. */
export function bestCandidate(trained: readonly TrainedCandidate[]): TrainedCandidate {
  return trained.reduce((best, c) => (c.holdout.log_loss < best.holdout.log_loss ? c : best));
}
