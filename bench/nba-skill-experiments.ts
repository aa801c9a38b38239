/**
 * NBA skill-feature experiments (issue 7): ways of giving the trees the shooters' skill, each scored
 * on the benchmark's time-ordered split against our trees on the base features (which equal
 * scikit-learn's HistGradientBoostingClassifier on the base features to 3e-12, see bench/nba-shots.ts).
 *
 *   npx tsx bench/nba-skill-experiments.ts [--file data/nba-shots/….csv]
 *
 * Every skill value of a shot on day d uses labels of days before d only. "Shot-making above
 * expectation" needs an expectation: a first-stage model on the base features refitted each day on
 * the shots of earlier days only (trees, the production settings with a fixed iteration count);
 * its probabilities for every earlier shot give residuals y − p, and per player (or team, or
 * defence) the score U = Σ w(y − p) and information I = Σ w p(1 − p) of a log-odds offset b.
 * Empirical Bayes: b ~ N(0, σ²), U | b ≈ N(I b, I) so U ~ N(0, I + σ² I²) marginally; σ² maximises
 * that marginal likelihood across players (refitted each day), and the feature is the posterior
 * mean b̂ = σ² U / (1 + σ² I). w is a time-decay weight (1 without decay).
 *
 * For each variant it prints the held-out log loss and, against the base trees, the mean per-shot
 * log-loss difference with its plain standard error and a bootstrap over held-out games.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ShotEncoder } from '../src/basketball/features/shot-encoder.js';
import { selectRows } from '../src/basketball/features/shot-features.js';
import { zoneFamilyOf } from '../src/basketball/features/shooting-skill.js';
import type { LabelledNbaShot } from '../src/basketball/nba-shot.js';
import { NBA_LEARNER_SETTINGS } from '../src/basketball/training/nba-shot-make-task.js';
import { prepareNbaTrainingData, type NbaTrainingData } from '../src/basketball/training/nba-training-data.js';
import { readNbaShotFile } from '../src/ingest/nba-shots/read-nba-shot-file.js';
import { createDataset, createFeatureMatrix, type FeatureKind, type FeatureMatrix } from '../src/ml/dataset.js';
import { GradientBoostedTrees } from '../src/ml/gradient-boosting/gradient-boosted-trees.js';
import { fitOffsetVariance } from '../src/basketball/features/shot-making-offsets.js';
import { pairedGameBootstrap, perShotLogLoss } from './paired-game-bootstrap.js';
import type { GradientBoostingOptions } from '../src/ml/gradient-boosting/gradient-boosting-options.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const at = argv.indexOf('--file');
const file = path.resolve(repo, at >= 0 ? argv[at + 1]! : 'data/nba-shots/NBA_2024_Shots_2023-10_to_2023-11.csv');
const out = (line = ''): void => void process.stdout.write(`${line}\n`);
const CLASSES = ['missed', 'made'] as const;
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const logit = (p: number) => Math.log(p / (1 - p));

/** Skill group keys of a shot: player overall, player by rim/paint vs jumpers, shooting team, defence. */
const KEYS = ['player', 'player_inside', 'player_jumper', 'player_three', 'team', 'defence'] as const;
type Key = (typeof KEYS)[number];
function keyOf(key: Key, s: LabelledNbaShot): number | null {
  const family = zoneFamilyOf(s.basicZone);
  const inside = family === 0 || family === 1;
  switch (key) {
    case 'player':
      return s.playerId;
    case 'player_inside':
      return inside ? s.playerId : null;
    case 'player_jumper':
      return family === 2 || family === 3 || family === 4 ? s.playerId : null;
    case 'player_three':
      return s.shotType === '3PT Field Goal' ? s.playerId : null;
    case 'team':
      return s.teamId;
    case 'defence':
      return s.opponentTeamId;
  }
}

interface ResidualFeatures {
  /** Per key: posterior mean offset b̂ per shot (NaN when the shot has no group). */
  readonly offset: Map<Key, Float64Array>;
  /** Per key: information I the estimate rests on. */
  readonly info: Map<Key, Float64Array>;
  /** First-stage expectation logit of each shot from earlier days' model. */
  readonly expectedLogit: Float64Array;
  /** Player attempts before the day and his share of them at the rim. */
  readonly attempts: Float64Array;
  readonly rimShare: Float64Array;
  readonly variances: Map<Key, number[]>;
}

/**
 * Leak-free residual skill: day by day, the first stage is refitted on earlier days (every
 * `refitEvery` days; in between the last fit is reused, which only uses even older days), its
 * probabilities for all earlier shots give each group's U and I, σ² is refitted, and the day's
 * shots get b̂. `halfLifeDays` weights older shots down (Infinity: no decay).
 */
function residualSkill(shots: readonly LabelledNbaShot[], baseMatrix: FeatureMatrix, options: { halfLifeDays: number; refitEvery: number; iterations: number }): ResidualFeatures {
  const n = shots.length;
  const order = Int32Array.from(shots.keys()).sort((a, b) => shots[a]!.dayMs - shots[b]!.dayMs || a - b);
  const days = [...new Set(shots.map((s) => s.dayMs))].sort((a, b) => a - b);
  const offset = new Map(KEYS.map((k) => [k, new Float64Array(n).fill(Number.NaN)]));
  const info = new Map(KEYS.map((k) => [k, new Float64Array(n).fill(Number.NaN)]));
  const variances = new Map(KEYS.map((k) => [k, [] as number[]]));
  const expectedLogit = new Float64Array(n).fill(Number.NaN);
  const attempts = new Float64Array(n);
  const rimShare = new Float64Array(n).fill(Number.NaN);
  const labels = Int32Array.from(shots, (s) => (s.made ? 1 : 0));
  let model: GradientBoostedTrees | null = null;
  let p = new Float64Array(0);
  let start = 0;
  for (let d = 0; d < days.length; d++) {
    const day = days[d]!;
    let end = start;
    while (end < n && shots[order[end]!]!.dayMs === day) end++;
    const earlier = order.subarray(0, start);
    const today = order.subarray(start, end);
    if (start >= 2000) {
      if (model === null || d % options.refitEvery === 0) {
        const m = subMatrix(baseMatrix, earlier);
        model = GradientBoostedTrees.fit(createDataset({ ...m, classNames: CLASSES, labels: Int32Array.from(earlier, (r) => labels[r]!) }), {
          ...NBA_LEARNER_SETTINGS.gbt,
          maxIterations: options.iterations,
          earlyStopping: false,
        });
      }
      const raw = model.predictProba(subMatrix(baseMatrix, Int32Array.from([...earlier, ...today])));
      p = Float64Array.from({ length: earlier.length + today.length }, (_, i) => raw[2 * i + 1]!);
      for (let i = 0; i < today.length; i++) expectedLogit[today[i]!] = logit(p[earlier.length + i]!);
      for (const key of KEYS) {
        const U = new Map<number, number>();
        const I = new Map<number, number>();
        for (let i = 0; i < earlier.length; i++) {
          const s = shots[earlier[i]!]!;
          const g = keyOf(key, s);
          if (g === null) continue;
          const w = Number.isFinite(options.halfLifeDays) ? 0.5 ** ((day - s.dayMs) / 86_400_000 / options.halfLifeDays) : 1;
          const q = p[i]!;
          U.set(g, (U.get(g) ?? 0) + w * (labels[earlier[i]!]! - q));
          I.set(g, (I.get(g) ?? 0) + w * q * (1 - q));
        }
        const groups = [...U.keys()];
        const sigma2 = fitOffsetVariance(Float64Array.from(groups, (g) => U.get(g)!), Float64Array.from(groups, (g) => I.get(g)!), groups.length);
        variances.get(key)!.push(sigma2);
        for (const r of today) {
          const g = keyOf(key, shots[r]!);
          if (g === null) continue;
          const u = U.get(g) ?? 0;
          const inf = I.get(g) ?? 0;
          offset.get(key)![r] = (sigma2 * u) / (1 + sigma2 * inf);
          info.get(key)![r] = inf;
        }
      }
    }
    // Counts (no labels needed beyond "took a shot before").
    const taken = new Map<number, { n: number; rim: number }>();
    for (const r of earlier) {
      const s = shots[r]!;
      if (s.playerId === null) continue;
      const c = taken.get(s.playerId) ?? { n: 0, rim: 0 };
      c.n++;
      if (s.basicZone === 'Restricted Area') c.rim++;
      taken.set(s.playerId, c);
    }
    for (const r of today) {
      const c = shots[r]!.playerId === null ? undefined : taken.get(shots[r]!.playerId!);
      attempts[r] = c?.n ?? 0;
      rimShare[r] = c && c.n > 0 ? c.rim / c.n : Number.NaN;
    }
    start = end;
  }
  return { offset, info, expectedLogit, attempts, rimShare, variances };
}

function subMatrix(m: FeatureMatrix, rows: ArrayLike<number>): FeatureMatrix {
  const values = new Float64Array(rows.length * m.featureNames.length);
  for (let f = 0; f < m.featureNames.length; f++) for (let i = 0; i < rows.length; i++) values[f * rows.length + i] = m.values[f * m.rows + rows[i]!]!;
  return createFeatureMatrix({ featureNames: m.featureNames, featureKinds: m.featureKinds, values });
}

function withColumns(m: FeatureMatrix, extra: readonly { name: string; values: Float64Array }[]): FeatureMatrix {
  const k = m.featureNames.length;
  const values = new Float64Array(m.rows * (k + extra.length));
  values.set(m.values.subarray(0, m.rows * k));
  extra.forEach((e, i) => values.set(e.values, (k + i) * m.rows));
  return createFeatureMatrix({
    featureNames: [...m.featureNames, ...extra.map((e) => e.name)],
    featureKinds: [...m.featureKinds, ...extra.map((): FeatureKind => 'numeric')],
    values,
  });
}

const perShotLoss = perShotLogLoss;

/** Mean of a − b, its plain standard error, and the standard error over 2,000 resamples of whole games. */
function paired(a: Float64Array, b: Float64Array, games: Int32Array): { mean: number; se: number; gameSe: number } {
  const d = pairedGameBootstrap(a, b, games);
  return { mean: d.mean, se: d.shotSe, gameSe: d.gameSe };
}

async function main(): Promise<void> {
  const { shots } = await readNbaShotFile(file, path.relative(repo, file));
  const data: NbaTrainingData = prepareNbaTrainingData(shots);
  const trainingRows = Int32Array.from([...data.fitRows, ...data.validationRows]);
  const encoder = ShotEncoder.fit(selectRows(data.table, trainingRows), 'skill');
  const baseEncoder = ShotEncoder.fromJSON({ ...encoder.toJSON(), featureSet: 'base' }, 'experiments');
  const all = Int32Array.from(shots.keys());
  const baseAll = baseEncoder.treeMatrix(data.table);
  const skillAll = encoder.treeMatrix(data.table);
  const y = Int32Array.from(data.holdoutRows, (r) => data.made[r]!);
  const games = Int32Array.from(data.holdoutRows, (r) => shots[r]!.gameId ?? -1);
  void all;

  const fitTrees = (m: FeatureMatrix, settings: GradientBoostingOptions = NBA_LEARNER_SETTINGS.gbt) => {
    const lab = (rows: Int32Array) => Int32Array.from(rows, (r) => data.made[r]!);
    const model = GradientBoostedTrees.fit(
      createDataset({ ...subMatrix(m, data.fitRows), classNames: CLASSES, labels: lab(data.fitRows) }),
      settings,
      createDataset({ ...subMatrix(m, data.validationRows), classNames: CLASSES, labels: lab(data.validationRows) }),
    );
    const raw = model.predictProba(subMatrix(m, data.holdoutRows));
    const rawVal = model.predictProba(subMatrix(m, data.validationRows));
    return {
      model,
      p: Float64Array.from({ length: data.holdoutRows.length }, (_, i) => raw[2 * i + 1]!),
      pVal: Float64Array.from({ length: data.validationRows.length }, (_, i) => rawVal[2 * i + 1]!),
    };
  };
  const base = fitTrees(baseAll);
  const baseLoss = perShotLoss(base.p, y);
  const mean = (a: Float64Array) => a.reduce((s, x) => s + x, 0) / a.length;
  out(`base trees: ${base.model.iterations} iterations, held-out log loss ${mean(baseLoss).toFixed(5)} (= scikit-learn gbt-base)`);
  const report = (name: string, p: Float64Array, iterations: number | string) => {
    const loss = perShotLoss(p, y);
    const c = paired(loss, baseLoss, games);
    out(
      `${name.padEnd(58)} it ${String(iterations).padStart(4)}  log loss ${mean(loss).toFixed(5)}  vs base ${c.mean >= 0 ? '+' : '−'}${Math.abs(c.mean).toFixed(5)}  SE ${c.se.toFixed(5)}  game-bootstrap SE ${c.gameSe.toFixed(5)}  z ${(c.mean / c.gameSe).toFixed(2)}`,
    );
  };
  const current = fitTrees(skillAll);
  report('current skill features (shrunk rates)', current.p, current.model.iterations);

  for (const variant of [
    { halfLifeDays: Number.POSITIVE_INFINITY, refitEvery: 1, iterations: 90 },
    { halfLifeDays: 14, refitEvery: 1, iterations: 90 },
  ]) {
    const t0 = performance.now();
    const r = residualSkill(shots, baseAll, variant);
    const tag = `half-life ${Number.isFinite(variant.halfLifeDays) ? `${variant.halfLifeDays} d` : 'none'}`;
    out(`\nresidual skill, ${tag} (first stage refitted daily, ${variant.iterations} iterations): ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    for (const key of KEYS) {
      const v = r.variances.get(key)!;
      out(`  σ of ${key} offset (log-odds): first ${Math.sqrt(v[0]!).toFixed(3)}, last ${Math.sqrt(v[v.length - 1]!).toFixed(3)}`);
    }
    const col = (name: string, values: Float64Array) => ({ name, values });
    const sets: { name: string; cols: { name: string; values: Float64Array }[] }[] = [
      { name: 'player offset', cols: [col('player_offset', r.offset.get('player')!)] },
      { name: 'player offset + info', cols: [col('player_offset', r.offset.get('player')!), col('player_info', r.info.get('player')!)] },
      {
        name: 'player inside/jumper/three offsets',
        cols: [col('inside', r.offset.get('player_inside')!), col('jumper', r.offset.get('player_jumper')!), col('three', r.offset.get('player_three')!)],
      },
      {
        name: 'player + team + defence offsets',
        cols: [col('player_offset', r.offset.get('player')!), col('team', r.offset.get('team')!), col('defence', r.offset.get('defence')!)],
      },
      {
        name: 'all offsets + attempts + rim share',
        cols: [
          ...KEYS.map((k) => col(k, r.offset.get(k)!)),
          col('attempts', r.attempts),
          col('rim_share', r.rimShare),
        ],
      },
    ];
    for (const s of sets) {
      const t = fitTrees(withColumns(baseAll, s.cols));
      report(`trees + ${s.name}`, t.p, t.model.iterations);
    }
    // Offset on the base trees' log-odds: p = σ(logit(p_base) + c · Σ b̂), c fitted on the validation days.
    for (const keys of [['player'], ['player', 'defence'], ['player', 'team', 'defence'], ['player_inside', 'player_jumper'], ['player_inside', 'player_jumper', 'defence']] as Key[][]) {
      const total = (rows: Int32Array) =>
        Float64Array.from(rows, (row) => keys.reduce((s, k) => s + (Number.isNaN(r.offset.get(k)![row]!) ? 0 : r.offset.get(k)![row]!), 0));
      const zVal = total(data.validationRows);
      const yVal = Int32Array.from(data.validationRows, (row) => data.made[row]!);
      let bestC = 0;
      let bestLoss = Number.POSITIVE_INFINITY;
      for (let c = 0; c <= 2.0001; c += 0.05) {
        const l = mean(perShotLoss(Float64Array.from(base.pVal, (q, i) => sigmoid(logit(q) + c * zVal[i]!)), yVal));
        if (l < bestLoss) [bestLoss, bestC] = [l, c];
      }
      const zTest = total(data.holdoutRows);
      report(`base trees + ${bestC.toFixed(2)} × (${keys.join(' + ')}) offset`, Float64Array.from(base.p, (q, i) => sigmoid(logit(q) + bestC * zTest[i]!)), base.model.iterations);
      report(`base trees + 1 × (${keys.join(' + ')}) offset`, Float64Array.from(base.p, (q, i) => sigmoid(logit(q) + zTest[i]!)), base.model.iterations);
    }
  }
  // Regularisation for a noisy feature: current skill features with other tree settings.
  for (const settings of [
    { minSamplesLeaf: 300 },
    { minSamplesLeaf: 200, l2Regularization: 10 },
    { learningRate: 0.025, maxIterations: 2000 },
    { maxLeafNodes: 7 },
  ]) {
    const t = fitTrees(skillAll, { ...NBA_LEARNER_SETTINGS.gbt, ...settings });
    const b = fitTrees(baseAll, { ...NBA_LEARNER_SETTINGS.gbt, ...settings });
    report(`current skill, ${JSON.stringify(settings)}`, t.p, t.model.iterations);
    report(`base, ${JSON.stringify(settings)}`, b.p, b.model.iterations);
  }
}

await main();
