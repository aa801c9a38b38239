/**
 * Confirmation test of the shot-making offsets (issue 7), on game days that were never used to
 * choose them.
 *
 *   npx tsx bench/nba-offsets-confirm.ts [--file data/nba-shots/….csv]
 *
 * Written down before the first run (2026-11-25). The offset model was chosen among ~14 variants
 * by looking at 21–30 November (bench/nba-skill-experiments.ts), so that window cannot confirm it.
 * This script tests it, fixed as in src/basketball/features/shot-making-offsets.ts (the product's
 * `gbt-skill-offsets` candidate), on two
 * earlier windows it was never scored on:
 *
 *   window A: 8–14 November, trained on 24 October – 7 November;
 *   window B: 15–20 November, trained on 24 October – 14 November.
 *
 * For each window the pipeline's split of the training days is used (the latest fifth stops the
 * trees early), `gbt-base` is trained (the same trees as scikit-learn's HistGradientBoosting on
 * the base features, bench/nba-shots.ts), and the offset model is p = σ(logit p_base + Σ b̂), with
 * b̂ the shrunk player-inside, player-jumper and defence offsets from every earlier day's residuals
 * against those same trees, updated day by day.
 *
 * Primary criterion, one test: pooled over windows A and B, the mean per-shot log-loss difference
 * (offsets − gbt-base) divided by its game-bootstrap standard error is below −1.645 (one-sided 5 %).
 * Also printed, not part of the criterion: each window alone, 21–30 November (where the variant
 * was chosen), and the documented variant whose expectation model is refitted every day.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ShotEncoder } from '../src/basketball/features/shot-encoder.js';
import { OFFSET_GROUPS, ShotMakingOffsets } from '../src/basketball/features/shot-making-offsets.js';
import { selectRows } from '../src/basketball/features/shot-features.js';
import type { LabelledNbaShot } from '../src/basketball/nba-shot.js';
import { NBA_LEARNER_SETTINGS } from '../src/basketball/training/nba-shot-make-task.js';
import { prepareTrainTestData, type NbaTrainingData } from '../src/basketball/training/nba-training-data.js';
import { trainNbaCandidates } from '../src/basketball/training/train-nba-candidates.js';
import { readNbaShotFile } from '../src/ingest/nba-shots/read-nba-shot-file.js';
import { createDataset } from '../src/ml/dataset.js';
import { GradientBoostedTrees } from '../src/ml/gradient-boosting/gradient-boosted-trees.js';
import { pairedGameBootstrap, perShotLogLoss } from './paired-game-bootstrap.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const at = argv.indexOf('--file');
const file = path.resolve(repo, at >= 0 ? argv[at + 1]! : 'data/nba-shots/NBA_2024_Shots_2023-10_to_2023-11.csv');
const out = (line = ''): void => void process.stdout.write(`${line}\n`);
const logit = (p: number) => Math.log(p / (1 - p));
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

const WINDOWS = [
  { name: 'A: 8–14 Nov', from: day('2023-11-08'), to: day('2023-11-14'), confirmatory: true },
  { name: 'B: 15–20 Nov', from: day('2023-11-15'), to: day('2023-11-20'), confirmatory: true },
  { name: 'C: 21–30 Nov (chosen here)', from: day('2023-11-21'), to: day('2023-11-30'), confirmatory: false },
] as const;

interface WindowResult {
  readonly spreads: string;
  readonly base: Float64Array;
  readonly offsets: Float64Array;
  readonly dailyRefit: Float64Array;
  readonly games: Int32Array;
}

/**
 * The documented variant (bench/nba-skill-experiments.ts): before each held-out day the expectation
 * trees (production settings, 90 iterations) are refitted on every earlier day and their residuals
 * on those days give the offsets.
 */
function dailyRefitOffsets(shots: readonly LabelledNbaShot[], data: NbaTrainingData): Float64Array {
  const encoder = ShotEncoder.fit(selectRows(data.table, Int32Array.from([...data.fitRows, ...data.validationRows])), 'base');
  const heldOutDays = [...new Set(Array.from(data.holdoutRows, (r) => shots[r]!.dayMs))].sort((a, b) => a - b);
  const result = new Float64Array(data.holdoutRows.length);
  for (const d of heldOutDays) {
    const earlier = Int32Array.from(shots.keys()).filter((r) => shots[r]!.dayMs < d);
    const model = GradientBoostedTrees.fit(
      createDataset({ ...encoder.treeMatrix(selectRows(data.table, earlier)), classNames: ['missed', 'made'], labels: Int32Array.from(earlier, (r) => data.made[r]!) }),
      { ...NBA_LEARNER_SETTINGS.gbt, maxIterations: 90, earlyStopping: false },
    );
    const raw = model.predictProba(encoder.treeMatrix(selectRows(data.table, earlier)));
    const offsets = new ShotMakingOffsets();
    earlier.forEach((r, i) => offsets.add(shots[r]!, shots[r]!.made, raw[2 * i + 1]!, shots[r]!.dayMs));
    data.holdoutRows.forEach((r, i) => {
      if (shots[r]!.dayMs === d) result[i] = offsets.offsetOf(shots[r]!);
    });
  }
  return result;
}

async function runWindow(all: readonly LabelledNbaShot[], from: number, to: number): Promise<WindowResult> {
  const train = all.filter((s) => s.dayMs < from);
  const test = all.filter((s) => s.dayMs >= from && s.dayMs <= to);
  const shots = [...train, ...test];
  const data = prepareTrainTestData(train, test);
  // The product's candidates: gbt-skill-offsets shares gbt-base's trees.
  const [base, withOffsets] = await trainNbaCandidates(['gbt-base', 'gbt-skill-offsets'], data);
  const pBase = base!.model.heldOutProbabilities(data);
  const refit = dailyRefitOffsets(shots, data);
  const made = Int32Array.from(data.holdoutRows, (r) => data.made[r]!);
  // The spreads the window starts with: tables from the training days only.
  const expected = base!.model.expectedProbabilities(data.table);
  const before = new ShotMakingOffsets();
  train.forEach((s, r) => before.add(s, s.made, expected[r]!, s.dayMs));
  const spreads = Object.entries(before.variances()).map(([group, v]) => `${group} ${Math.sqrt(v).toFixed(3)}`);
  return {
    spreads: `σ at the window's start (log-odds): ${spreads.join(', ')}`,
    base: perShotLogLoss(pBase, made),
    offsets: perShotLogLoss(withOffsets!.model.heldOutProbabilities(data), made),
    dailyRefit: perShotLogLoss(Float64Array.from(pBase, (p, i) => sigmoid(logit(p) + refit[i]!)), made),
    games: Int32Array.from(data.holdoutRows, (r) => shots[r]!.gameId ?? -1),
  };
}

const mean = (a: Float64Array) => a.reduce((s, x) => s + x, 0) / a.length;
const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(5)}`;

function report(name: string, shots: number, base: Float64Array, model: Float64Array, games: Int32Array): number {
  const c = pairedGameBootstrap(model, base, games);
  const z = c.mean / c.gameSe;
  out(
    `  ${name.padEnd(44)} ${String(shots).padStart(6)} shots  gbt-base ${mean(base).toFixed(5)}  model ${mean(model).toFixed(5)}  diff ${signed(c.mean)}  SE games ${c.gameSe.toFixed(5)}  shots ${c.shotSe.toFixed(5)}  z ${z.toFixed(2)}`,
  );
  return z;
}

async function main(): Promise<void> {
  const { shots } = await readNbaShotFile(file, path.relative(repo, file));
  out(`${shots.length} shots from ${path.relative(repo, file)}; offset groups: ${OFFSET_GROUPS.join(', ')}`);
  const results: { name: string; confirmatory: boolean; r: WindowResult }[] = [];
  for (const w of WINDOWS) {
    const started = performance.now();
    const r = await runWindow(shots, w.from, w.to);
    results.push({ name: w.name, confirmatory: w.confirmatory, r });
    out(`window ${w.name} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    out(`  ${r.spreads}`);
    report('offsets (expectation = gbt-base)', r.base.length, r.base, r.offsets, r.games);
    report('offsets (expectation refitted daily)', r.base.length, r.base, r.dailyRefit, r.games);
  }
  const pooled = results.filter((x) => x.confirmatory);
  const cat = (pick: (r: WindowResult) => Float64Array) => Float64Array.from(pooled.flatMap((x) => Array.from(pick(x.r))));
  const games = Int32Array.from(pooled.flatMap((x) => Array.from(x.r.games)));
  out('pooled confirmation windows A + B');
  const z = report('offsets (expectation = gbt-base)', games.length, cat((r) => r.base), cat((r) => r.offsets), games);
  report('offsets (expectation refitted daily)', games.length, cat((r) => r.base), cat((r) => r.dailyRefit), games);
  out(`primary criterion (pooled z < −1.645): ${z < -1.645 ? 'MET' : 'NOT MET'} (z ${z.toFixed(2)})`);
}

await main();
