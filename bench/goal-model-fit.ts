/**
 * Goal-model fit time on walk-forward windows of one league: every week of the 2021/22 and 2022/23
 * Premier League seasons, fit on the previous 3 × 365 days of E0 results (~1,140 matches, 23–24 teams),
 * cold (from scratch) and warm (started from the previous week's model, as a walk-forward backtest does).
 * Target (issue): a Dixon-Coles refit on 3 seasons under 10 ms median on this machine.
 * Prints figures; never fails a build.  Usage: npx tsx bench/goal-model-fit.ts [--repeats 3]
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DixonColes } from '../src/football/models/dixon-coles.js';
import type { GoalMatch, GoalModel } from '../src/football/models/goal-model.js';
import { PoissonGoalModel } from '../src/football/models/poisson-goal-model.js';
import { parseFootballData } from '../src/ingest/football-data/parse-football-data.js';
import { describeMachine, median } from './machine.js';

const DAY_MS = 86_400_000;
const WINDOW_MS = 3 * 365 * DAY_MS;
const repeatsIndex = process.argv.indexOf('--repeats');
const repeats = repeatsIndex > 0 ? Number(process.argv[repeatsIndex + 1]) || 3 : 3;
const dataDir = fileURLToPath(new URL('../data/football-data/E0/', import.meta.url));

const matches: GoalMatch[] = [];
for (const season of ['1718', '1819', '1920', '2021', '2122', '2223']) {
  const parsed = parseFootballData(fs.readFileSync(`${dataDir}${season}.csv`), { file: `E0/${season}.csv`, seasonCode: season });
  for (const record of parsed.records) {
    if (record.result === null) continue;
    matches.push({
      homeTeam: record.homeTeam,
      awayTeam: record.awayTeam,
      homeGoals: record.result.ftHome,
      awayGoals: record.result.ftAway,
      kickoffAtMs: record.kickoffAtMs,
    });
  }
}
matches.sort((a, b) => a.kickoffAtMs - b.kickoffAtMs);

// One as-of instant per week (Monday 00:00 UTC), from the start of 2021/22 to the end of 2022/23.
const asOfs: number[] = [];
for (let t = Date.UTC(2021, 7, 16); t <= Date.UTC(2023, 4, 29); t += 7 * DAY_MS) asOfs.push(t);
const windows = asOfs.map((asOfMs) => matches.filter((m) => m.kickoffAtMs < asOfMs && m.kickoffAtMs >= asOfMs - WINDOW_MS));

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

interface Figures {
  readonly fitMs: number[];
  readonly iterations: number[];
  readonly evaluations: number[];
  readonly passes: number[];
  notConverged: number;
}

function run(create: () => GoalModel, warm: boolean): Figures {
  const figures: Figures = { fitMs: [], iterations: [], evaluations: [], passes: [], notConverged: 0 };
  for (let repeat = 0; repeat < repeats; repeat++) {
    let previous: GoalModel | undefined;
    for (let w = 0; w < asOfs.length; w++) {
      const started = performance.now();
      const model = create().fit(windows[w]!, { asOfMs: asOfs[w]!, ...(warm && previous ? { warmStart: previous } : {}) });
      const elapsed = performance.now() - started;
      previous = model;
      // The first week of a warm run has nothing to start from: it is a cold fit, so leave it out.
      if (warm && w === 0) continue;
      const summary = model.fitSummary();
      figures.fitMs.push(elapsed);
      figures.iterations.push(summary.iterations);
      figures.evaluations.push(summary.evaluations);
      figures.passes.push(summary.passes);
      if (!summary.converged) figures.notConverged++;
    }
  }
  return figures;
}

const sizes = windows.map((w) => w.length);
const teamCounts = windows.map((w) => new Set(w.flatMap((m) => [m.homeTeam, m.awayTeam])).size);
console.log(`machine: ${describeMachine()}`);
console.log(
  `data: E0 2017/18–2022/23, ${asOfs.length} weekly as-of dates (2021-08-16 … 2023-05-29), 3×365-day windows of ` +
    `${Math.min(...sizes)}–${Math.max(...sizes)} matches (median ${median(sizes)}), ${Math.min(...teamCounts)}–${Math.max(...teamCounts)} teams; ` +
    `${repeats} repeat(s) after one warm-up pass\n`,
);

const models: [string, () => GoalModel][] = [
  ['Dixon-Coles', () => new DixonColes()],
  ['Poisson', () => new PoissonGoalModel()],
];
// Warm-up: let V8 optimise the likelihood loops before timing.
for (const [, create] of models) {
  run(create, false);
  run(create, true);
}

console.log('model        start  fits  median ms  p90 ms  max ms  median iterations  median evaluations  µs/evaluation  not converged');
for (const [label, create] of models) {
  for (const warm of [false, true]) {
    const f = run(create, warm);
    const perEvaluationUs = median(f.fitMs.map((ms, i) => (1000 * ms) / f.evaluations[i]!));
    console.log(
      `${label.padEnd(12)} ${(warm ? 'warm' : 'cold').padEnd(5)} ${String(f.fitMs.length).padStart(5)}  ` +
        `${median(f.fitMs).toFixed(2).padStart(9)}  ${quantile(f.fitMs, 0.9).toFixed(2).padStart(6)}  ${Math.max(...f.fitMs).toFixed(2).padStart(6)}  ` +
        `${String(median(f.iterations)).padStart(17)}  ${String(median(f.evaluations)).padStart(19)}  ${perEvaluationUs.toFixed(1).padStart(13)}  ` +
        `${String(f.notConverged).padStart(13)}`,
    );
  }
}
console.log('\ntarget: Dixon-Coles refit on ~3 seasons < 10 ms median (cold and warm shown; walk-forward use is warm)');
