import { groupBy } from '../../core/group-by.js';
import type { PlayedMatch } from '../football-match.js';
import type { PredictorSpec } from './one-x-two-predictor.js';
import { runWalkForward, type WalkForwardOptions, type WalkForwardResult } from './walk-forward.js';

/**
 * Team strengths are league-specific, so each competition gets its own walk-forward with fresh
 * models; the per-league results are then stacked into one result in league order.
 */
export function runLeagueBacktests(
  matches: readonly PlayedMatch[],
  specs: readonly PredictorSpec[],
  options: Omit<WalkForwardOptions, 'onProgress'> & { onProgress?: (done: number, total: number, league: string) => void },
): WalkForwardResult {
  const leagues = [...groupBy(matches, (m) => m.competition)].sort(([a], [b]) => a.localeCompare(b));
  const results = leagues.map(([league, leagueMatches]) =>
    runWalkForward(leagueMatches, specs, {
      ...options,
      onProgress: (done, total) => options.onProgress?.(done, total, league),
    }),
  );
  const total = results.reduce((n, r) => n + r.matches.length, 0);
  const probabilities = new Map(specs.map((s) => [s.name, new Float64Array(total * 3)]));
  const fitMs = new Map(specs.map((s) => [s.name, new Float64Array(results.reduce((n, r) => n + r.refits, 0))]));
  const outcomes = new Int32Array(total);
  let row = 0;
  let refit = 0;
  for (const r of results) {
    outcomes.set(r.outcomes, row);
    for (const s of specs) {
      probabilities.get(s.name)!.set(r.probabilities.get(s.name)!, row * 3);
      fitMs.get(s.name)!.set(r.fitMs.get(s.name)!, refit);
    }
    row += r.matches.length;
    refit += r.refits;
  }
  return { matches: results.flatMap((r) => r.matches), outcomes, probabilities, fitMs, refits: refit };
}
