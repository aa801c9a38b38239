import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { groupBy } from '../../core/group-by.js';
import type { PlayedMatch } from '../football-match.js';
import { predictorSpec, type CatalogueOptions } from '../predictors/predictor-catalogue.js';
import type { BacktestJob } from './backtest-worker.js';
import { runWalkForward, type WalkForwardOptions, type WalkForwardResult } from './walk-forward.js';

export interface LeagueBacktestOptions extends Omit<WalkForwardOptions, 'onProgress'> {
  /** Worker threads to spread leagues over (default 1: in this thread). */
  readonly threads?: number;
  /** Progress per league: refit blocks done and total. */
  readonly onProgress?: (league: string, done: number, total: number) => void;
}

/** How to start a worker: the compiled module, or (running from source under tsx) a bootstrap that registers tsx first. */
type WorkerEntry = { readonly url: URL } | { readonly script: string };

/** The worker next to this module, or undefined where a worker could not load it (e.g. TypeScript under vitest). */
function workerEntry(): WorkerEntry | undefined {
  const js = new URL('./backtest-worker.js', import.meta.url);
  if (fs.existsSync(fileURLToPath(js))) return { url: js };
  const ts = new URL('./backtest-worker.ts', import.meta.url);
  // Node 20 does not carry tsx's loader into worker threads, so the worker registers it itself.
  if (fs.existsSync(fileURLToPath(ts)) && process.execArgv.some((arg) => arg.includes('tsx'))) {
    return { script: `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(ts.href)}); });` };
  }
  return undefined;
}

function runInWorker(entry: WorkerEntry, job: BacktestJob, onProgress: (done: number, total: number) => void): Promise<WalkForwardResult> {
  return new Promise((resolve, reject) => {
    const worker =
      'url' in entry ? new Worker(entry.url, { workerData: job }) : new Worker(entry.script, { eval: true, workerData: job });
    worker.on('message', (message: { type: string; [key: string]: unknown }) => {
      if (message.type === 'progress') {
        onProgress(message.done as number, message.total as number);
        return;
      }
      const byId = new Map(job.matches.map((m) => [m.matchId, m]));
      resolve({
        matches: (message.matchIds as number[]).map((id) => byId.get(id)!),
        outcomes: message.outcomes as Int32Array,
        probabilities: new Map(message.probabilities as [string, Float64Array][]),
        fitMs: new Map(message.fitMs as [string, Float64Array][]),
        refits: message.refits as number,
      });
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (code !== 0) reject(new Error(`backtest worker for ${job.league} exited with code ${code}`));
    });
  });
}

/**
 * Team strengths are league-specific, so each competition gets its own walk-forward with fresh
 * models; leagues run in parallel on worker threads when asked, and the results are stacked in
 * league order, so the figures do not depend on the thread count.
 */
export async function runLeagueBacktests(
  matches: readonly PlayedMatch[],
  models: readonly string[],
  catalogue: CatalogueOptions,
  options: LeagueBacktestOptions,
): Promise<WalkForwardResult> {
  const { threads = 1, onProgress, ...walkForward } = options;
  const leagues = [...groupBy(matches, (m) => m.competition)].sort(([a], [b]) => a.localeCompare(b));
  const entry = threads > 1 && leagues.length > 1 ? workerEntry() : undefined;
  const results: WalkForwardResult[] = new Array(leagues.length);

  if (!entry) {
    leagues.forEach(([league, leagueMatches], i) => {
      const specs = models.map((name) => predictorSpec(name, catalogue));
      results[i] = runWalkForward(leagueMatches, specs, { ...walkForward, onProgress: (d, t) => onProgress?.(league, d, t) });
    });
  } else {
    // Longest leagues first keeps both threads busy until the end.
    const queue = leagues.map((l, i) => i).sort((a, b) => leagues[b]![1].length - leagues[a]![1].length);
    const lane = async () => {
      for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
        const [league, leagueMatches] = leagues[i]!;
        results[i] = await runInWorker(entry, { league, matches: leagueMatches, models, catalogue, options: walkForward }, (d, t) =>
          onProgress?.(league, d, t),
        );
      }
    };
    await Promise.all(Array.from({ length: Math.min(threads, leagues.length) }, lane));
  }

  const total = results.reduce((n, r) => n + r.matches.length, 0);
  const probabilities = new Map(models.map((m) => [m, new Float64Array(total * 3)]));
  const fitMs = new Map(models.map((m) => [m, new Float64Array(results.reduce((n, r) => n + r.refits, 0))]));
  const outcomes = new Int32Array(total);
  let row = 0;
  let refit = 0;
  for (const r of results) {
    outcomes.set(r.outcomes, row);
    for (const m of models) {
      probabilities.get(m)!.set(r.probabilities.get(m)!, row * 3);
      fitMs.get(m)!.set(r.fitMs.get(m)!, refit);
    }
    row += r.matches.length;
    refit += r.refits;
  }
  return { matches: results.flatMap((r) => r.matches), outcomes, probabilities, fitMs, refits: refit };
}
