/**
 * NBA shot-make benchmark: our models against scikit-learn's HistGradientBoostingClassifier on the
 * same time-ordered split of real shots (the pipeline's split: the latest quarter of game days held
 * out, the latest fifth of the training days for early stopping).
 *
 *   npm run bench:nba -- [--file data/nba-shots/….csv] [--repeats 3] [--no-sklearn]
 *
 * Writes the features (categorical ones as codes) to a CSV in the OS temp directory and runs
 * `/usr/bin/python3 bench/reference/nba_sklearn.py` on it for the base and the skill feature sets.
 * Prints fit times (median of the repeats), held-out log loss and AUC, the time ratio, and how much
 * the skill features gain over scikit-learn on the base features, with a game-level bootstrap
 * standard error. Never fails a build: a missing Python is reported and skipped.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ShotEncoder } from '../src/basketball/features/shot-encoder.js';
import { FEATURE_SETS, selectRows, type FeatureSetName } from '../src/basketball/features/shot-features.js';
import type { LabelledNbaShot } from '../src/basketball/nba-shot.js';
import { NBA_LEARNER_SETTINGS } from '../src/basketball/training/nba-shot-make-task.js';
import { holdoutWindow, prepareNbaTrainingData, type NbaTrainingData } from '../src/basketball/training/nba-training-data.js';
import { scoreShots } from '../src/basketball/training/shot-metrics.js';
import { trainNbaCandidates } from '../src/basketball/training/train-nba-candidates.js';
import { readNbaShotFile } from '../src/ingest/nba-shots/read-nba-shot-file.js';
import { createDataset, type FeatureMatrix } from '../src/ml/dataset.js';
import { GradientBoostedTrees } from '../src/ml/gradient-boosting/gradient-boosted-trees.js';
import { describeMachine, median } from './machine.js';
import { pairedGameBootstrap, perShotLogLoss } from './paired-game-bootstrap.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1]! : fallback;
};
const file = path.resolve(repo, option('--file', 'data/nba-shots/NBA_2024_Shots_2023-10_to_2023-11.csv'));
const repeats = Number(option('--repeats', '3'));
const withSklearn = !argv.includes('--no-sklearn');
const out = (line = ''): void => void process.stdout.write(`${line}\n`);

interface Result {
  readonly name: string;
  readonly iterations: number | null;
  readonly fitSeconds: number;
  readonly logLoss: number;
  readonly auc: number;
  /** Held-out make probabilities, row by row. */
  readonly probabilities: Float64Array;
  readonly note: string;
}

interface SklearnOutput {
  readonly sklearnVersion: string;
  readonly threads: string;
  readonly iterations: number;
  readonly medianSeconds: number;
  readonly fitSeconds: number[];
  readonly testLogLoss: number;
  readonly testAuc: number;
  readonly testProbabilities: number[];
}

const CLASSES = ['missed', 'made'] as const;

function labelsOf(data: NbaTrainingData, rows: Int32Array): Int32Array {
  return Int32Array.from(rows, (r) => data.made[r]!);
}

function positive(raw: Float64Array): Float64Array {
  return Float64Array.from({ length: raw.length / 2 }, (_, r) => raw[2 * r + 1]!);
}

/** Our trees, as the pipeline fits them: early stopping on the validation days. */
function ours(data: NbaTrainingData, set: FeatureSetName, encoder: ShotEncoder): Result[] {
  const matrix = (rows: Int32Array) => encoder.treeMatrix(selectRows(data.table, rows));
  const fit = createDataset({ ...matrix(data.fitRows), classNames: CLASSES, labels: labelsOf(data, data.fitRows) });
  const validation = createDataset({ ...matrix(data.validationRows), classNames: CLASSES, labels: labelsOf(data, data.validationRows) });
  const test: FeatureMatrix = matrix(data.holdoutRows);
  const holdout = labelsOf(data, data.holdoutRows);
  const results: Result[] = [];
  let model: GradientBoostedTrees | null = null;
  const stopped: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    model = GradientBoostedTrees.fit(fit, NBA_LEARNER_SETTINGS.gbt, validation);
    stopped.push((performance.now() - start) / 1000);
  }
  const p = positive(model!.predictProba(test));
  const s = scoreShots(p, holdout).scores;
  results.push({ name: `tipster gbt-${set}`, iterations: model!.iterations, fitSeconds: median(stopped), logLoss: s.log_loss, auc: s.auc, probabilities: p, note: 'early stopping on the validation days (validation scored every iteration)' });
  // The same number of iterations without validation: what scikit-learn is timed on.
  const fixed: number[] = [];
  let again: GradientBoostedTrees | null = null;
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    again = GradientBoostedTrees.fit(fit, { ...NBA_LEARNER_SETTINGS.gbt, maxIterations: model!.iterations, earlyStopping: false });
    fixed.push((performance.now() - start) / 1000);
  }
  const q = positive(again!.predictProba(test));
  const t = scoreShots(q, holdout).scores;
  results.push({ name: `tipster gbt-${set} (fixed)`, iterations: again!.iterations, fitSeconds: median(fixed), logLoss: t.log_loss, auc: t.auc, probabilities: q, note: `${model!.iterations} iterations, no validation (like scikit-learn's timed fit)` });
  return results;
}

function writeCsv(data: NbaTrainingData, encoder: ShotEncoder, shots: readonly LabelledNbaShot[], target: string): void {
  const rows = Int32Array.from([...data.fitRows, ...data.validationRows, ...data.holdoutRows]);
  const split = new Int8Array(data.table.rows);
  for (const r of data.validationRows) split[r] = 1;
  for (const r of data.holdoutRows) split[r] = 2;
  const matrix = encoder.treeMatrix(selectRows(data.table, rows));
  const lines = [[...matrix.featureNames, 'y', 'split', 'game'].join(',')];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const cells: string[] = [];
    for (let f = 0; f < matrix.featureNames.length; f++) {
      const v = matrix.values[f * matrix.rows + i]!;
      cells.push(Number.isNaN(v) ? 'nan' : String(v));
    }
    cells.push(String(data.made[r]), String(split[r]), String(shots[r]!.gameId ?? -1));
    lines.push(cells.join(','));
  }
  fs.writeFileSync(target, `${lines.join('\n')}\n`);
}

function sklearn(csv: string, set: FeatureSetName): SklearnOutput | string {
  const columns = FEATURE_SETS[set];
  const categorical = columns.filter((c) => c === 'basic_zone' || c === 'zone_area' || c === 'zone_range' || c === 'action_type');
  const script = path.join(repo, 'bench', 'reference', 'nba_sklearn.py');
  const run = spawnSync('/usr/bin/python3', [script, csv, '--columns', columns.join(','), '--categorical', categorical.join(','), '--repeats', String(repeats)], {
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
  });
  if (run.error || run.status !== 0) return `scikit-learn run failed: ${run.error?.message ?? run.stderr.trim()}`;
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as SklearnOutput;
}

/** Paired difference of two models' held-out log losses, shots of one game resampled together. */
function pairedBootstrap(a: Float64Array, b: Float64Array, holdout: Int32Array, data: NbaTrainingData, games: (row: number) => number): { mean: number; se: number; shotSe: number } {
  const made = labelsOf(data, holdout);
  const d = pairedGameBootstrap(perShotLogLoss(a, made), perShotLogLoss(b, made), Int32Array.from(holdout, games));
  return { mean: d.mean, se: d.gameSe, shotSe: d.shotSe };
}

async function main(): Promise<void> {
  out(`machine: ${describeMachine()}`);
  const started = performance.now();
  const { shots } = await readNbaShotFile(file, path.relative(repo, file));
  const data = prepareNbaTrainingData(shots);
  out(`data: ${path.relative(repo, file)}: ${shots.length.toLocaleString('en-GB')} shots; fit ${data.fitRows.length.toLocaleString('en-GB')}, validation ${data.validationRows.length.toLocaleString('en-GB')} (from ${new Date(data.validationFromDayMs).toISOString().slice(0, 10)}), held out ${data.holdoutRows.length.toLocaleString('en-GB')} (${holdoutWindow(data)}); features in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const g = NBA_LEARNER_SETTINGS.gbt;
  out(`trees: learning rate ${g.learningRate}, ${g.maxLeafNodes} leaves, ≥ ${g.minSamplesLeaf} shots per leaf, L2 ${g.l2Regularization}, ${g.maxBins} bins, native categorical zones and action types, early stopping after ${g.earlyStopping.iterationsNoChange} iterations without gain; median of ${repeats} fits`);
  out();

  const trainingRows = Int32Array.from([...data.fitRows, ...data.validationRows]);
  const encoder = ShotEncoder.fit(selectRows(data.table, trainingRows), 'skill');
  const baseEncoder = ShotEncoder.fromJSON({ ...encoder.toJSON(), featureSet: 'base' }, 'bench');
  const results: Result[] = [...ours(data, 'base', baseEncoder), ...ours(data, 'skill', encoder)];

  const logistic = await trainNbaCandidates(['logistic-base', 'logistic-skill'], data);
  for (const l of logistic) {
    results.push({ name: `tipster ${l.candidate}`, iterations: null, fitSeconds: l.trainMs / 1000, logLoss: l.holdout.log_loss, auc: l.holdout.auc, probabilities: l.model.heldOutProbabilities(data), note: `L-BFGS, L2 λ ${NBA_LEARNER_SETTINGS.logistic.l2}, ${l.params.design_columns} columns` });
  }
  // gbt-base's trees plus shrunk player (inside, jumpers) and defence offsets on their log-odds.
  const [offsets] = await trainNbaCandidates(['gbt-skill-offsets'], data);
  results.push({
    name: 'tipster gbt-skill-offsets',
    iterations: Number(offsets!.params.iterations),
    fitSeconds: offsets!.trainMs / 1000,
    logLoss: offsets!.holdout.log_loss,
    auc: offsets!.holdout.auc,
    probabilities: offsets!.model.heldOutProbabilities(data),
    note: 'gbt-base trees + empirical-Bayes shot-making offsets (player inside, player jumpers, defence)',
  });

  const sk = new Map<FeatureSetName, SklearnOutput>();
  if (withSklearn) {
    const csv = path.join(os.tmpdir(), `tipster-nba-bench-${process.pid}.csv`);
    writeCsv(data, encoder, shots, csv);
    try {
      for (const set of ['base', 'skill'] as const) {
        const r = sklearn(csv, set);
        if (typeof r === 'string') {
          out(r);
          break;
        }
        sk.set(set, r);
        results.push({ name: `sklearn gbt-${set}`, iterations: r.iterations, fitSeconds: r.medianSeconds, logLoss: r.testLogLoss, auc: r.testAuc, probabilities: Float64Array.from(r.testProbabilities), note: `scikit-learn ${r.sklearnVersion}, OMP threads ${r.threads}, fit with the iteration count its early stopping chose` });
      }
    } finally {
      fs.rmSync(csv, { force: true });
    }
  }

  const width = Math.max(...results.map((r) => r.name.length));
  out(`${'model'.padEnd(width)}  iterations  fit s   log loss  AUC     notes`);
  for (const r of results) {
    out(`${r.name.padEnd(width)}  ${String(r.iterations ?? '-').padStart(10)}  ${r.fitSeconds.toFixed(3).padStart(6)}  ${r.logLoss.toFixed(5)}  ${r.auc.toFixed(4)}  ${r.note}`);
  }
  out();
  const find = (name: string) => results.find((r) => r.name === name)!;
  const skBase = results.find((r) => r.name === 'sklearn gbt-base');
  if (skBase) {
    const oursBase = find('tipster gbt-base');
    const oursFixed = find('tipster gbt-base (fixed)');
    const oursSkill = find('tipster gbt-skill');
    const game = (row: number) => shots[row]!.gameId ?? -1;
    // Identical trees can differ in the last bits of a summed log loss; below 1e-9 they are the same.
    const difference = oursBase.logLoss - skBase.logLoss;
    const verdict = Math.abs(difference) < 1e-9 ? 'the same to 1e-9' : difference < 0 ? 'lower' : 'HIGHER';
    out(`base features: tipster log loss ${oursBase.logLoss.toFixed(5)} vs scikit-learn ${skBase.logLoss.toFixed(5)}: ${verdict} (difference ${difference.toExponential(2)})`);
    out(`fit time: tipster ${oursFixed.fitSeconds.toFixed(3)} s vs scikit-learn ${skBase.fitSeconds.toFixed(3)} s for the same ${oursFixed.iterations} iterations: ratio ${(oursFixed.fitSeconds / skBase.fitSeconds).toFixed(2)} (target ≤ 2); with early stopping ${oursBase.fitSeconds.toFixed(3)} s, ratio ${(oursBase.fitSeconds / skBase.fitSeconds).toFixed(2)}`);
    for (const skill of [oursSkill, find('tipster gbt-skill-offsets')]) {
      const gain = pairedBootstrap(skill.probabilities, skBase.probabilities, data.holdoutRows, data, game);
      out(`skill: ${skill.name} ${skill.logLoss.toFixed(5)} vs scikit-learn gbt-base ${skBase.logLoss.toFixed(5)}: ${gain.mean < 0 ? 'lower' : 'not lower'} by ${Math.abs(gain.mean).toFixed(5)} (game-level bootstrap standard error ${gain.se.toFixed(5)}, per-shot paired ${gain.shotSe.toFixed(5)}, z ${(gain.mean / gain.se).toFixed(2)})`);
    }
    const best = results.filter((r) => r.name.startsWith('tipster') && !r.name.endsWith('(fixed)')).reduce((a, b) => (b.logLoss < a.logLoss ? b : a));
    const bestGain = pairedBootstrap(best.probabilities, skBase.probabilities, data.holdoutRows, data, game);
    out(`best tipster model: ${best.name} ${best.logLoss.toFixed(5)}, ${bestGain.mean < 0 ? 'lower' : 'not lower'} than scikit-learn gbt-base by ${Math.abs(bestGain.mean).toFixed(5)} (± ${bestGain.se.toFixed(5)} game bootstrap, ± ${bestGain.shotSe.toFixed(5)} per shot)`);
  }
  out(`total ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

await main();
