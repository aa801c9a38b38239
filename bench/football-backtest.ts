/**
 * Issue 3 targets, measured in one run (prints figures; never fails a build):
 *  1. Reference protocol: E0 and SP1, weekly refits on the previous 3 years, xi = 0.0019, 2015/16–2022/23.
 *     Reference (scipy): Dixon-Coles RPS 0.2011 vs Bet365-implied 0.1955 (E0), 0.1992 vs 0.1928 (SP1),
 *     about 10 ms per fit; scipy's fit time is re-measured here on the same machine when Debian's scipy exists.
 *  2. The best model using only what is known when a bet is placed must beat Bet365-implied RPS on E0 and SP1.
 *  3. A full walk-forward backtest of all bundled leagues and seasons with every model in under 60 s.
 * Usage: npm run bench:backtest   (loads the bundled data into a temporary SQLite store first)
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { summarizeBacktest } from '../src/football/backtest/backtest-summary.js';
import { runLeagueBacktests } from '../src/football/backtest/league-backtest.js';
import { describeModels } from '../src/football/predictors/predictor-catalogue.js';
import { resolveFootballDataSources } from '../src/ingest/football-data/football-data-sources.js';
import { loadFootballData } from '../src/ingest/football-data/load-football-data.js';
import { loadFootballDataset } from '../src/store/football-dataset-repository.js';
import { migrateStore } from '../src/store/migrate-store.js';
import { openStore } from '../src/store/open-store.js';
import { describeMachine } from './machine.js';

const repo = fileURLToPath(new URL('../', import.meta.url));
const REFERENCE = { E0: { dixonColes: 0.2011, bet365: 0.1955 }, SP1: { dixonColes: 0.1992, bet365: 0.1928 } } as const;
const options = { refitEveryDays: 7, trainingWindowDays: 3 * 365 };

console.log(`machine: ${describeMachine()}\n`);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tipster-bench-backtest-'));
const store = await openStore(`sqlite:${path.join(tmp, 'bench.db')}`);
await migrateStore(store);
await loadFootballData(store, await resolveFootballDataSources([path.join(repo, 'data/football-data')], repo));
const { played } = await loadFootballDataset(store.db, { competitions: ['E0', 'E1', 'SP1', 'D1', 'I1', 'F1'] });
await store.close();
fs.rmSync(tmp, { recursive: true, force: true });

const everyModel = describeModels().map((m) => m.name).filter((name) => !name.includes('<'));
const models = [...new Set(['market-bet365', ...everyModel])];

// 1 + 2: the reference protocol.
const median = (xs: Float64Array) => Float64Array.from(xs).sort()[Math.floor(xs.length / 2)]!;
console.log('1-2. Reference protocol: weekly refits, previous 3 years, xi = 0.0019, 2015/16-2022/23');
for (const league of ['E0', 'SP1'] as const) {
  const started = performance.now();
  const result = await runLeagueBacktests(played.filter((m) => m.competition === league), models, { xi: 0.0019 }, {
    ...options,
    burnInDays: 365,
    evaluateFromMs: Date.UTC(2015, 6, 1),
    evaluateToMs: Date.UTC(2023, 6, 1),
  });
  const summary = summarizeBacktest(result, 'market-bet365');
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`\n  ${league}: ${summary.matches} matches, ${summary.refits} refits, ${seconds} s`);
  console.log(`    reference (scipy): dixon-coles ${REFERENCE[league].dixonColes}, bet365 ${REFERENCE[league].bet365}`);
  const ranked = [...summary.models].sort((a, b) => summary.overall[a]!.rps - summary.overall[b]!.rps);
  for (const m of ranked) {
    const s = summary.overall[m]!;
    const delta = s.rps - summary.overall['market-bet365']!.rps;
    console.log(`    ${m.padEnd(18)} RPS ${s.rps.toFixed(4)}  vs bet365 ${delta >= 0 ? '+' : ''}${delta.toFixed(4)}  log loss ${s.logLoss.toFixed(4)}  fit median ${median(result.fitMs.get(m)!).toFixed(2)} ms`);
  }
}

const scipyScript = path.join(repo, 'bench/reference/dixon_coles_fit_timing.py');
const scipy = fs.existsSync('/usr/bin/python3') ? spawnSync('/usr/bin/python3', [scipyScript], { encoding: 'utf8' }) : undefined;
if (scipy?.status === 0) {
  const timing = JSON.parse(scipy.stdout) as { fits: number; medianMs: number; p90Ms: number };
  console.log(`\n  scipy Dixon-Coles on the same E0 windows (2021/22-2022/23, from scratch): median ${timing.medianMs.toFixed(2)} ms, p90 ${timing.p90Ms.toFixed(2)} ms over ${timing.fits} fits`);
} else {
  console.log('\n  scipy timing not run (needs /usr/bin/python3 with python3-scipy)');
}

// 3: everything, every model.
// Every league from its second season (the first season is the burn-in), on both cores.
const threads = Math.min(2, os.availableParallelism());
console.log(`\n3. Full walk-forward: all bundled leagues and seasons, ${threads} worker threads, models: ${models.join(', ')}`);
const started = performance.now();
const full = await runLeagueBacktests(played, models, { xi: 0.0019 }, { ...options, evaluateFromMs: Date.UTC(2006, 6, 1), burnInDays: 365, threads });
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`  ${new Set(full.matches.map((m) => m.competition)).size} leagues, ${full.matches.length.toLocaleString('en-GB')} matches scored by ${models.length} models, ${full.refits} refits: ${seconds} s`);
