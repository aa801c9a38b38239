import { TipsterError } from '../../core/errors.js';
import { BinaryCalibration, type BinaryCalibrationJson } from '../../ml/calibration.js';
import { GradientBoostedTrees } from '../../ml/gradient-boosting/gradient-boosted-trees.js';
import type { GradientBoostedTreesJson } from '../../ml/gradient-boosting/model-json.js';
import { LogisticRegression, type LogisticRegressionJson } from '../../ml/logistic-regression.js';
import { ShootingSkill, type SkillSnapshotJson } from '../features/shooting-skill.js';
import { ShotEncoder, type ShotEncoderJson } from '../features/shot-encoder.js';
import { featureRowObject, selectRows, shotFeaturesFromSkill, type ShotFeatureTable } from '../features/shot-features.js';
import { leakFreeOffsets, ShotMakingOffsets, type ShotMakingOffsetsJson } from '../features/shot-making-offsets.js';
import type { NbaShot } from '../nba-shot.js';
import { isNbaShotCandidate, type NbaShotCandidate } from './nba-shot-make-task.js';
import type { NbaTrainingData } from './nba-training-data.js';

/** Identifies a stored NBA shot model. */
export const NBA_SHOT_MODEL_FORMAT = 'tipster.nba-shot-model';
/** Layout version; bump on any incompatible change. */
export const NBA_SHOT_MODEL_VERSION = 1;

/** The fitted learner inside a shot model. */
export type ShotLearner = { readonly kind: 'logistic'; readonly model: LogisticRegression } | { readonly kind: 'gbt'; readonly model: GradientBoostedTrees };

/** A version's artifact as plain JSON: everything serving needs, no retraining. */
export interface NbaShotModelJson {
  readonly format: typeof NBA_SHOT_MODEL_FORMAT;
  readonly version: typeof NBA_SHOT_MODEL_VERSION;
  readonly task: 'nba-shot-make';
  readonly candidate: NbaShotCandidate;
  readonly encoder: ShotEncoderJson;
  readonly learner:
    | { readonly kind: 'logistic'; readonly model: LogisticRegressionJson }
    | { readonly kind: 'gbt'; readonly model: GradientBoostedTreesJson };
  readonly calibration: BinaryCalibrationJson | null;
  /** Player and team skill tables for serving: every labelled shot known when the version was trained. */
  readonly skill: SkillSnapshotJson;
  /**
   * Shot-making offsets added to the learner's log-odds (candidates that use them), from every
   * labelled shot known at training time; absent or null for the others.
   */
  readonly offsets?: ShotMakingOffsetsJson | null;
  /** Last game day (UTC midnight) the learner itself trained on. */
  readonly trainedThroughDayMs: number;
  readonly trainingShots: number;
}

/** What a trained candidate is made of. */
export interface NbaShotModelParts {
  readonly candidate: NbaShotCandidate;
  readonly encoder: ShotEncoder;
  readonly learner: ShotLearner;
  readonly calibration: BinaryCalibration | null;
  readonly skill: ShootingSkill;
  /** Player and defence offsets on the learner's log-odds, or null when the candidate has none. */
  readonly offsets: ShotMakingOffsets | null;
  readonly trainedThroughDayMs: number;
  readonly trainingShots: number;
}

/** A scored shot: its make probability and the feature values the model saw. */
export interface ShotScore {
  readonly probability: number;
  readonly features: Record<string, number | string | null>;
}

/**
 * A trained shot-make model: encoder, learner (logistic regression or trees), optional calibration
 * and the skill tables of every shot known at training time. Stored as one JSON artifact, so any
 * process can load a registered version by alias and predict without retraining.
 */
export class NbaShotModel {
  readonly candidate: NbaShotCandidate;
  readonly encoder: ShotEncoder;
  readonly learner: ShotLearner;
  readonly calibration: BinaryCalibration | null;
  readonly skill: ShootingSkill;
  readonly offsets: ShotMakingOffsets | null;
  readonly trainedThroughDayMs: number;
  readonly trainingShots: number;
  #expectations = new WeakMap<ShotFeatureTable, Float64Array>();

  constructor(parts: NbaShotModelParts) {
    this.candidate = parts.candidate;
    this.encoder = parts.encoder;
    this.learner = parts.learner;
    this.calibration = parts.calibration;
    this.skill = parts.skill;
    this.offsets = parts.offsets;
    this.trainedThroughDayMs = parts.trainedThroughDayMs;
    this.trainingShots = parts.trainingShots;
  }

  /**
   * Make probabilities of the learner (and calibration) for precomputed feature rows, before any
   * shot-making offsets: the expectation of a shot from what it looks like and the skill features.
   */
  expectedProbabilities(table: ShotFeatureTable): Float64Array {
    const raw =
      this.learner.kind === 'logistic'
        ? this.learner.model.predictProba(this.encoder.logisticMatrix(table))
        : this.learner.model.predictProba(this.encoder.treeMatrix(table));
    const p = new Float64Array(table.rows);
    for (let r = 0; r < table.rows; r++) p[r] = raw[2 * r + 1]!;
    return this.calibration ? this.calibration.calibrate(p) : p;
  }

  /** The same model, serving with these offsets (expectations already computed are kept). */
  withOffsets(offsets: ShotMakingOffsets): NbaShotModel {
    const model = new NbaShotModel({
      candidate: this.candidate,
      encoder: this.encoder,
      learner: this.learner,
      calibration: this.calibration,
      skill: this.skill,
      offsets,
      trainedThroughDayMs: this.trainedThroughDayMs,
      trainingShots: this.trainingShots,
    });
    model.#expectations = this.#expectations;
    return model;
  }

  /**
   * expectedProbabilities of a whole training table, remembered per table: building the offsets a
   * version serves with and scoring its held-out days need the same prediction of every shot.
   */
  expectationsOf(table: ShotFeatureTable): Float64Array {
    let expected = this.#expectations.get(table);
    if (expected === undefined) this.#expectations.set(table, (expected = this.expectedProbabilities(table)));
    return expected;
  }

  /**
   * Scores shots as described at serving time, with the skill of players and teams as of training.
   * A shot naming a player but not the team gets the player's latest team.
   */
  score(shots: readonly NbaShot[]): ShotScore[] {
    const completed = shots.map((shot) =>
      shot.playerId !== null && shot.teamId === null ? { ...shot, teamId: this.skill.teamOf(shot.playerId) } : shot,
    );
    const table = shotFeaturesFromSkill(completed, this.skill);
    const p = this.expectedProbabilities(table);
    return completed.map((shot, r) => {
      const features = featureRowObject(table, r);
      if (this.offsets === null) return { probability: p[r]!, features };
      const { shooter, defence } = this.offsets.partsOf(shot);
      return {
        probability: withOffset(p[r]!, shooter + defence),
        features: { ...features, expected_probability: p[r]!, shooter_offset: shooter, defence_offset: defence },
      };
    });
  }

  /**
   * Make probabilities of a split's held-out shots, leak-free: features as computed for those days,
   * and offsets (for candidates with them) from the residuals of strictly earlier days against this
   * model's own expectation. Candidates and production are scored on the same shots this way.
   */
  heldOutProbabilities(data: NbaTrainingData): Float64Array {
    if (this.offsets === null) return this.expectedProbabilities(selectRows(data.table, data.holdoutRows));
    const historyRows = Int32Array.from({ length: data.shots.length - data.feedbackShots }, (_, r) => r);
    const expected = this.expectationsOf(data.table);
    const offsets = leakFreeOffsets(data.shots, expected, historyRows, data.holdoutRows);
    return Float64Array.from(data.holdoutRows, (r, i) => withOffset(expected[r]!, offsets[i]!));
  }

  /** Plain-JSON artifact; reload with fromJSON. */
  toJSON(): NbaShotModelJson {
    return {
      format: NBA_SHOT_MODEL_FORMAT,
      version: NBA_SHOT_MODEL_VERSION,
      task: 'nba-shot-make',
      candidate: this.candidate,
      encoder: this.encoder.toJSON(),
      learner: this.learner.kind === 'logistic' ? { kind: 'logistic', model: this.learner.model.toJSON() } : { kind: 'gbt', model: this.learner.model.toJSON() },
      calibration: this.calibration?.toJSON() ?? null,
      skill: this.skill.toJSON(),
      offsets: this.offsets?.toJSON() ?? null,
      trainedThroughDayMs: this.trainedThroughDayMs,
      trainingShots: this.trainingShots,
    };
  }

  /** Rebuilds a stored model; `where` names it in errors (e.g. `nba-shot-make version 3`). */
  static fromJSON(value: unknown, where: string): NbaShotModel {
    const invalid = (reason: string): never => {
      throw new TipsterError('TIPSTER_ERR_MODEL_CONFIG_INVALID', { where, reason });
    };
    const json = (typeof value === 'object' && value !== null ? value : invalid('not an object')) as Partial<NbaShotModelJson>;
    if (json.format !== NBA_SHOT_MODEL_FORMAT || json.version !== NBA_SHOT_MODEL_VERSION) {
      invalid(`expected ${NBA_SHOT_MODEL_FORMAT} version ${NBA_SHOT_MODEL_VERSION}, found ${JSON.stringify(json.format)} version ${JSON.stringify(json.version)}`);
    }
    if (!isNbaShotCandidate(json.candidate)) invalid(`unknown candidate ${JSON.stringify(json.candidate)}`);
    if (typeof json.trainedThroughDayMs !== 'number' || typeof json.trainingShots !== 'number') invalid('trainedThroughDayMs and trainingShots must be numbers');
    let learner: ShotLearner;
    try {
      const stored = json.learner ?? invalid('learner missing');
      if (stored.kind === 'logistic') learner = { kind: 'logistic', model: LogisticRegression.fromJSON(stored.model) };
      else if (stored.kind === 'gbt') learner = { kind: 'gbt', model: GradientBoostedTrees.fromJSON(stored.model) };
      else return invalid(`unknown learner kind ${JSON.stringify((stored as { kind?: unknown }).kind)}`);
      return new NbaShotModel({
        candidate: json.candidate!,
        encoder: ShotEncoder.fromJSON(json.encoder, where),
        learner,
        calibration: json.calibration ? BinaryCalibration.fromJSON(json.calibration) : null,
        skill: ShootingSkill.fromJSON(json.skill, where),
        offsets: json.offsets ? ShotMakingOffsets.fromJSON(json.offsets, where) : null,
        trainedThroughDayMs: json.trainedThroughDayMs!,
        trainingShots: json.trainingShots!,
      });
    } catch (error) {
      if (error instanceof TipsterError && error.code === 'TIPSTER_ERR_MODEL_CONFIG_INVALID') throw error;
      return invalid((error as Error).message);
    }
  }
}

/** p moved by `offset` on the log-odds scale. */
function withOffset(p: number, offset: number): number {
  if (offset === 0) return p;
  const z = Math.log(p / (1 - p)) + offset;
  return 1 / (1 + Math.exp(-z));
}
