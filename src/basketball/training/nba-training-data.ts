import { createHash } from 'node:crypto';
import { TipsterError } from '../../core/errors.js';
import type { ShootingSkill } from '../features/shooting-skill.js';
import { leakFreeShotFeatures, type ShotFeatureTable } from '../features/shot-features.js';
import type { LabelledNbaShot } from '../nba-shot.js';
import { NBA_SHOT_MAKE_TASK } from './nba-shot-make-task.js';

/**
 * Labelled shots with leak-free features, split in time: candidates fit on `fitRows`, stop early
 * and calibrate on `validationRows` (the latest training days), and are scored on `holdoutRows`.
 */
export interface NbaTrainingData {
  /** The shots, one per table row: ingested ones in their order, then verified feedback (dated the first held-out day). */
  readonly shots: readonly LabelledNbaShot[];
  readonly table: ShotFeatureTable;
  /** 1 made, 0 missed, per row of the table. */
  readonly made: Int32Array;
  readonly fitRows: Int32Array;
  readonly validationRows: Int32Array;
  readonly holdoutRows: Int32Array;
  /** Skill tables after every shot (held-out days and feedback included): what a version serves with. */
  readonly skill: ShootingSkill;
  /** First held-out day; training shots are all earlier (UTC midnights, ms). */
  readonly holdoutFromDayMs: number;
  readonly holdoutToDayMs: number;
  readonly validationFromDayMs: number;
  readonly trainFromDayMs: number;
  /** Shots that came in as verified feedback (in `fitRows`). */
  readonly feedbackShots: number;
  /** sha256 of every shot and label used, so runs on the same data are recognisable. */
  readonly fingerprint: string;
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The distinct game days of shots, ascending. */
function gameDays(shots: readonly LabelledNbaShot[]): number[] {
  return [...new Set(shots.map((s) => s.dayMs))].sort((a, b) => a - b);
}

/** The first day of the latest `fraction` of `days` (at least one day, never the first). */
function latestShareStart(days: readonly number[], fraction: number): number {
  const count = Math.min(days.length - 1, Math.max(1, Math.ceil(days.length * fraction)));
  return days[days.length - count]!;
}

function fingerprintOf(shots: readonly LabelledNbaShot[]): string {
  const hash = createHash('sha256');
  for (const s of shots) {
    hash.update(
      `${s.dayMs}|${s.gameId}|${s.playerId}|${s.teamId}|${s.period}|${s.secondsLeft}|${s.locX}|${s.locY}|${s.distanceFt}|${s.basicZone}|${s.actionType}|${s.made ? 1 : 0}\n`,
    );
  }
  return hash.digest('hex');
}

function rowsWhere(count: number, keep: (row: number) => boolean): Int32Array {
  const rows: number[] = [];
  for (let r = 0; r < count; r++) if (keep(r)) rows.push(r);
  return Int32Array.from(rows);
}

/**
 * The pipeline's data: the latest quarter of the ingested game days is held out, the training days
 * before it are split again for validation, and verified feedback shots join the training rows.
 * Feedback shots are scored as of the first held-out day and never enter the skill history the
 * held-out shots are scored with (their real dates are later than every game in the data).
 */
export function prepareNbaTrainingData(ingested: readonly LabelledNbaShot[], feedback: readonly LabelledNbaShot[] = []): NbaTrainingData {
  const days = gameDays(ingested);
  if (days.length < NBA_SHOT_MAKE_TASK.minGameDays) {
    throw new TipsterError('TIPSTER_ERR_NBA_NOT_ENOUGH_SHOTS', {
      purpose: `train ${NBA_SHOT_MAKE_TASK.task}`,
      detail: `the store holds ${ingested.length} shots on ${days.length} game day(s); at least ${NBA_SHOT_MAKE_TASK.minGameDays} days are needed`,
    });
  }
  const holdoutFromDayMs = latestShareStart(days, NBA_SHOT_MAKE_TASK.holdoutFraction);
  return buildTimeSplit([...ingested, ...feedback.map((s) => ({ ...s, dayMs: holdoutFromDayMs }))], {
    holdout: (row) => row < ingested.length && ingested[row]!.dayMs >= holdoutFromDayMs,
    feedbackFrom: ingested.length,
    feedbackDays: feedback.map((s) => s.dayMs),
  });
}

/**
 * Training on one set of shots and scoring on another (`tipster nba evaluate`): features come from
 * both files' shots in day order, so a test shot's skill uses the training file and earlier test
 * days only. Validation is the latest share of the training file's days.
 */
export function prepareTrainTestData(train: readonly LabelledNbaShot[], test: readonly LabelledNbaShot[]): NbaTrainingData {
  const days = gameDays(train);
  if (days.length < 2 || test.length === 0) {
    throw new TipsterError('TIPSTER_ERR_NBA_NOT_ENOUGH_SHOTS', {
      purpose: 'evaluate',
      detail: `the training file has ${train.length} shots on ${days.length} game day(s) (2 or more needed) and the test file ${test.length} shots`,
    });
  }
  return buildTimeSplit([...train, ...test], { holdout: (row) => row >= train.length, feedbackFrom: train.length + test.length, feedbackDays: [] });
}

function buildTimeSplit(
  shots: readonly LabelledNbaShot[],
  options: { holdout: (row: number) => boolean; feedbackFrom: number; feedbackDays: readonly number[] },
): NbaTrainingData {
  const inHistory = (row: number) => row < options.feedbackFrom;
  const { table, skill } = leakFreeShotFeatures(shots, { inHistory });
  // Serving knows every label, feedback included, at its own date.
  for (let i = 0; i < options.feedbackDays.length; i++) {
    const shot = shots[options.feedbackFrom + i]!;
    skill.add(shot, shot.made, options.feedbackDays[i]!);
  }
  const made = Int32Array.from(shots, (s) => (s.made ? 1 : 0));
  const isTraining = (row: number) => !options.holdout(row);
  const trainingDays = gameDays(shots.filter((_, row) => isTraining(row) && row < options.feedbackFrom));
  const validationFromDayMs = trainingDays.length >= 2 ? latestShareStart(trainingDays, NBA_SHOT_MAKE_TASK.validationFraction) : Number.POSITIVE_INFINITY;
  const inValidation = (row: number) => row < options.feedbackFrom && shots[row]!.dayMs >= validationFromDayMs;
  const fitRows = rowsWhere(shots.length, (r) => isTraining(r) && !inValidation(r));
  const validationRows = rowsWhere(shots.length, (r) => isTraining(r) && inValidation(r));
  const holdoutRows = rowsWhere(shots.length, options.holdout);
  if (fitRows.length === 0 || validationRows.length === 0 || holdoutRows.length === 0) {
    throw new TipsterError('TIPSTER_ERR_NBA_NOT_ENOUGH_SHOTS', {
      purpose: 'split training, validation and held-out shots',
      detail: `${fitRows.length} training, ${validationRows.length} validation and ${holdoutRows.length} held-out shots`,
    });
  }
  const holdoutDays = gameDays(Array.from(holdoutRows, (r) => shots[r]!));
  return {
    shots,
    table,
    made,
    fitRows,
    validationRows,
    holdoutRows,
    skill,
    holdoutFromDayMs: holdoutDays[0]!,
    holdoutToDayMs: holdoutDays[holdoutDays.length - 1]!,
    validationFromDayMs,
    trainFromDayMs: trainingDays[0]!,
    feedbackShots: shots.length - options.feedbackFrom,
    fingerprint: fingerprintOf(shots),
  };
}

/** `2023-11-21..2023-11-30`: a split's held-out days, for tags and messages. */
export function holdoutWindow(data: Pick<NbaTrainingData, 'holdoutFromDayMs' | 'holdoutToDayMs'>): string {
  return `${isoDay(data.holdoutFromDayMs)}..${isoDay(data.holdoutToDayMs)}`;
}
