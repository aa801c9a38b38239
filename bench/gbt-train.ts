/**
 * Training-time benchmark of GradientBoostedTrees against scikit-learn's HistGradientBoostingClassifier
 * on the same seeded synthetic data (50,000 training rows × 20 features, binary and 3-class).
 *
 *   npx tsx bench/gbt-train.ts [--iterations 100] [--repeats 3] [--no-sklearn]
 *
 * Times our fit with the default thread count and with one thread, writes each data set to a CSV
 * in the OS temp directory, then runs
 * `/usr/bin/python3 bench/reference/gbt_reference.py --bench <csv>` on the same file (OpenMP
 * default threads, then 1) and prints the medians, the time ratio against our default and both
 * test log losses. Never fails a build: a missing Python is reported and skipped.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDataset, type Dataset, type FeatureKind } from '../src/ml/dataset.js';
import { GradientBoostedTrees } from '../src/ml/gradient-boosting/gradient-boosted-trees.js';
import { resolveThreads } from '../src/ml/gradient-boosting/gradient-boosting-options.js';
import { describeMachine, median } from './machine.js';
import { mulberry32 } from '../src/numeric/mulberry32.js';

const TRAIN_ROWS = 50_000;
const TEST_ROWS = 20_000;
const FEATURES = 20;
/** Column 19 holds a 24-code categorical feature (think shot zone × action type). */
const CATEGORICAL = 19;
const CATEGORIES = 24;

function normal(random: () => number): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

interface Synthetic {
  readonly values: Float64Array;
  readonly labels: Int32Array;
  readonly rows: number;
}

/** Non-linear signal spread over a dozen features, 10% missing in two of them, and a categorical effect. */
function synthesize(seed: number, rows: number, classes: number): Synthetic {
  const random = mulberry32(seed);
  const values = new Float64Array(rows * FEATURES);
  const labels = new Int32Array(rows);
  const categoryEffect = Float64Array.from({ length: CATEGORIES }, () => normal(random));
  const x = new Float64Array(FEATURES);
  const logits = new Float64Array(classes);
  for (let r = 0; r < rows; r++) {
    for (let f = 0; f < FEATURES; f++) x[f] = normal(random);
    const category = Math.floor(random() * CATEGORIES);
    x[CATEGORICAL] = category;
    const missing3 = random() < 0.1;
    const missing7 = random() < 0.1;
    const a =
      0.8 * x[0]! - 0.6 * x[1]! * x[2]! + Math.sin(2 * x[3]!) + 0.3 * x[4]! * x[4]! - 0.5 * Math.abs(x[5]!) +
      0.4 * (x[6]! > 0.5 ? 1 : 0) + 0.3 * x[7]! + 0.8 * categoryEffect[category]! + (missing3 ? 0.5 : 0);
    const b = 0.7 * x[8]! + Math.cos(2 * x[9]!) - 0.4 * x[10]! * x[11]! + 0.5 * categoryEffect[(category * 7) % CATEGORIES]!;
    if (missing3) x[3] = NaN;
    if (missing7) x[7] = NaN;
    for (let f = 0; f < FEATURES; f++) values[f * rows + r] = x[f]!;
    if (classes === 2) {
      labels[r] = random() < 1 / (1 + Math.exp(-a)) ? 1 : 0;
    } else {
      logits[0] = a;
      logits[1] = b;
      logits[2] = 0;
      let total = 0;
      for (let k = 0; k < classes; k++) total += Math.exp(logits[k]!);
      let u = random() * total;
      let label = 0;
      while (label < classes - 1 && u > Math.exp(logits[label]!)) u -= Math.exp(logits[label++]!);
      labels[r] = label;
    }
  }
  return { values, labels, rows };
}

function toDataset(data: Synthetic, start: number, end: number, classes: number): Dataset {
  const rows = end - start;
  const values = new Float64Array(rows * FEATURES);
  for (let f = 0; f < FEATURES; f++) values.set(data.values.subarray(f * data.rows + start, f * data.rows + end), f * rows);
  const featureKinds: FeatureKind[] = Array.from({ length: FEATURES }, (_, f) => (f === CATEGORICAL ? 'categorical' : 'numeric'));
  return createDataset({
    featureNames: Array.from({ length: FEATURES }, (_, f) => `x${f}`),
    featureKinds,
    classNames: Array.from({ length: classes }, (_, k) => `class${k}`),
    values,
    labels: data.labels.subarray(start, end),
  });
}

function writeCsv(data: Synthetic, file: string): void {
  const lines = [[...Array.from({ length: FEATURES }, (_, f) => `x${f}`), 'y', 'test'].join(',')];
  for (let r = 0; r < data.rows; r++) {
    const cells: string[] = [];
    for (let f = 0; f < FEATURES; f++) {
      const v = data.values[f * data.rows + r]!;
      cells.push(Number.isNaN(v) ? 'nan' : String(v));
    }
    cells.push(String(data.labels[r]), r >= TRAIN_ROWS ? '1' : '0');
    lines.push(cells.join(','));
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

function logLoss(probabilities: Float64Array, labels: Int32Array, classes: number): number {
  let total = 0;
  for (let r = 0; r < labels.length; r++) total -= Math.log(Math.max(probabilities[r * classes + labels[r]!]!, 1e-15));
  return total / labels.length;
}

interface SklearnResult {
  readonly medianSeconds: number;
  readonly testLogLoss: number;
  readonly iterations: number;
  readonly sklearnVersion: string;
  readonly threads: string;
}

function runSklearn(csv: string, iterations: number, repeats: number, threads?: number): SklearnResult | string {
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'reference', 'gbt_reference.py');
  const args = [script, '--bench', csv, '--categorical', String(CATEGORICAL), '--max-iter', String(iterations), '--repeats', String(repeats)];
  const env = threads === undefined ? process.env : { ...process.env, OMP_NUM_THREADS: String(threads) };
  const run = spawnSync('/usr/bin/python3', args, { encoding: 'utf8', env });
  if (run.error || run.status !== 0) return `sklearn run failed: ${run.error?.message ?? run.stderr.trim()}`;
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as SklearnResult;
}

function main(): void {
  const argv = process.argv.slice(2);
  const option = (name: string, fallback: number): number => {
    const at = argv.indexOf(name);
    return at >= 0 ? Number(argv[at + 1]) : fallback;
  };
  const iterations = option('--iterations', 100);
  const repeats = option('--repeats', 3);
  const withSklearn = !argv.includes('--no-sklearn');
  const out = (line: string): void => void process.stdout.write(`${line}\n`);

  out(`machine: ${describeMachine()}`);
  out(`data: ${TRAIN_ROWS} train + ${TEST_ROWS} test rows × ${FEATURES} features (1 categorical, 2 with 10% missing); ` +
    `${iterations} iterations, learning rate 0.1, 31 leaves, min 20 per leaf, 255 bins, no early stopping; median of ${repeats}`);
  for (const classes of [2, 3]) {
    const data = synthesize(classes === 2 ? 11 : 12, TRAIN_ROWS + TEST_ROWS, classes);
    const train = toDataset(data, 0, TRAIN_ROWS, classes);
    const test = toDataset(data, TRAIN_ROWS, TRAIN_ROWS + TEST_ROWS, classes);
    const label = classes === 2 ? 'binary ' : '3-class';
    let oursMedian = 0;
    let oursLoss = 0;
    // Default threads first (what the comparison uses), then one thread for reference.
    for (const threads of [undefined, 1]) {
      const seconds: number[] = [];
      let model: GradientBoostedTrees | null = null;
      for (let i = 0; i < repeats; i++) {
        const start = performance.now();
        model = GradientBoostedTrees.fit(train, { maxIterations: iterations, earlyStopping: false, threads });
        seconds.push((performance.now() - start) / 1000);
      }
      const loss = logLoss(model!.predictProba(test), test.labels, classes);
      if (threads === undefined) {
        oursMedian = median(seconds);
        oursLoss = loss;
      }
      out(`${label}  tipster  fit ${median(seconds).toFixed(3)} s (threads ${threads ?? `default = ${resolveThreads()}`}; runs ${seconds.map((s) => s.toFixed(3)).join(', ')}), ` +
        `${model!.iterations} iterations, test log loss ${loss.toFixed(5)}`);
    }
    if (!withSklearn) continue;
    const csv = path.join(os.tmpdir(), `tipster-gbt-bench-${classes}-${process.pid}.csv`);
    writeCsv(data, csv);
    try {
      for (const threads of [undefined, 1]) {
        const sk = runSklearn(csv, iterations, repeats, threads);
        if (typeof sk === 'string') {
          out(`${label}  ${sk}`);
          break;
        }
        out(`${label}  sklearn  fit ${sk.medianSeconds.toFixed(3)} s (${sk.sklearnVersion}, OMP threads ${sk.threads}), ` +
          `${sk.iterations} iterations, test log loss ${sk.testLogLoss.toFixed(5)}; ` +
          `tipster/sklearn time ratio ${(oursMedian / sk.medianSeconds).toFixed(2)}, ` +
          `log loss difference ${(oursLoss - sk.testLogLoss).toFixed(5)}`);
      }
    } finally {
      fs.rmSync(csv, { force: true });
    }
  }
}

main();
