import { createHash } from 'node:crypto';
import { summarizeBacktest, type BacktestSummary } from '../backtest/backtest-summary.js';
import { runWalkForward } from '../backtest/walk-forward.js';
import type { PlayedMatch } from '../football-match.js';
import { predictorSpec } from '../predictors/predictor-catalogue.js';
import { FOOTBALL_1X2_TASK } from './football-1x2-task.js';

const DAY_MS = 86_400_000;

/** The matches one league's candidates are trained and scored on, fixed before any model runs. */
export interface LeagueWindow {
  readonly league: string;
  /** Kick-offs at or after this are scored… */
  readonly evaluateFromMs: number;
  /** …and before this (the earlier of the as-of instant and just after the league's last result). */
  readonly evaluateToMs: number;
  /** The first refit's training window starts here. */
  readonly trainingFromMs: number;
  readonly trainingMatches: number;
  readonly evaluationMatches: number;
  /** SHA-256 of every match (id, kick-off, score, pre-match prices) in [trainingFromMs, evaluateToMs). */
  readonly fingerprint: string;
}

/** Why a league is left out of a training run. */
export interface SkippedLeague {
  readonly league: string;
  readonly reason: string;
}

/**
 * The latest window of a league as of `asOfMs`: the last `evaluationDays` of results before it, and
 * the training years before those. A league whose data stops earlier is evaluated on its own last two
 * years, so every league gets a model.
 */
export function leagueWindow(league: string, played: readonly PlayedMatch[], asOfMs: number): LeagueWindow | SkippedLeague {
  const known = played.filter((m) => m.kickoffAtMs < asOfMs).sort((a, b) => a.kickoffAtMs - b.kickoffAtMs || a.matchId - b.matchId);
  if (known.length === 0) return { league, reason: 'no finished matches before the as-of date' };
  const evaluateToMs = Math.min(asOfMs, known.at(-1)!.kickoffAtMs + 1);
  const evaluateFromMs = evaluateToMs - FOOTBALL_1X2_TASK.evaluationDays * DAY_MS;
  const trainingFromMs = evaluateFromMs - FOOTBALL_1X2_TASK.trainingWindowDays * DAY_MS;
  const span = known.filter((m) => m.kickoffAtMs >= trainingFromMs);
  const trainingMatches = span.filter((m) => m.kickoffAtMs < evaluateFromMs).length;
  const evaluationMatches = span.length - trainingMatches;
  if (trainingMatches < FOOTBALL_1X2_TASK.minTrainingMatches) {
    return {
      league,
      reason: `only ${trainingMatches} finished matches in the ${FOOTBALL_1X2_TASK.trainingWindowDays} days before the evaluation window (at least ${FOOTBALL_1X2_TASK.minTrainingMatches} needed)`,
    };
  }
  return { league, evaluateFromMs, evaluateToMs, trainingFromMs, trainingMatches, evaluationMatches, fingerprint: fingerprint(span) };
}

/** True for a window, false for a skipped league. */
export function isLeagueWindow(value: LeagueWindow | SkippedLeague): value is LeagueWindow {
  return 'fingerprint' in value;
}

function fingerprint(matches: readonly PlayedMatch[]): string {
  const hash = createHash('sha256');
  for (const m of matches) {
    const odds = Object.keys(m.preMatchOdds)
      .sort()
      .map((book) => {
        const p = m.preMatchOdds[book]!;
        return `${book}:${p.home}/${p.draw}/${p.away}`;
      })
      .join(',');
    hash.update(`${m.matchId}|${m.kickoffAtMs}|${m.homeGoals}-${m.awayGoals}|${odds}\n`);
  }
  return hash.digest('hex');
}

/**
 * Walk-forward of every predictor on the window (weekly refits, three-year training windows), all on
 * the same matches: those every predictor priced. `benchmark` is the reference of the summary.
 */
export function evaluateOnWindow(
  played: readonly PlayedMatch[],
  window: LeagueWindow,
  predictors: readonly string[],
  benchmark: string,
): BacktestSummary {
  const names = [...new Set([...predictors, benchmark])];
  const matches = played.filter((m) => m.kickoffAtMs >= window.trainingFromMs && m.kickoffAtMs < window.evaluateToMs);
  const result = runWalkForward(
    matches,
    names.map((name) => predictorSpec(name, { xi: 0.0019 })),
    {
      evaluateFromMs: window.evaluateFromMs,
      evaluateToMs: window.evaluateToMs,
      refitEveryDays: FOOTBALL_1X2_TASK.refitEveryDays,
      trainingWindowDays: FOOTBALL_1X2_TASK.trainingWindowDays,
    },
  );
  return summarizeBacktest(result, benchmark);
}
