import { accuracy } from '../../ml/metrics/accuracy.js';
import { brierScore } from '../../ml/metrics/brier-score.js';
import { expectedCalibrationError } from '../../ml/metrics/expected-calibration-error.js';
import { logLoss } from '../../ml/metrics/log-loss.js';
import { rankedProbabilityScore, rpsPerRow } from '../../ml/metrics/ranked-probability-score.js';
import { reliabilityTables, type ReliabilityTable } from '../../ml/metrics/reliability-table.js';
import type { WalkForwardResult } from './walk-forward.js';

/** The figures a model earns on a set of matches. */
export interface ModelScores {
  readonly matches: number;
  /** Ranked probability score (lower is better; the headline metric for ordered 1X2 outcomes). */
  readonly rps: number;
  readonly logLoss: number;
  readonly brier: number;
  readonly accuracy: number;
  /** Expected calibration error of the favourite's probability (10 equal-width bins). */
  readonly ece: number;
}

/** Scores for one season, every model on the same matches. */
export interface SeasonScores {
  readonly competition: string;
  readonly season: string;
  readonly scores: Readonly<Record<string, ModelScores>>;
}

/** Everything a report or `--json` needs from a walk-forward run. */
export interface BacktestSummary {
  readonly models: readonly string[];
  /** The model others are compared with (the bookmaker-implied probabilities). */
  readonly reference: string | null;
  /** Matches evaluated: those every model priced. */
  readonly matches: number;
  /** Matches dropped because some model could not price them (e.g. no odds from that bookmaker). */
  readonly excluded: number;
  readonly overall: Readonly<Record<string, ModelScores>>;
  readonly bySeason: readonly SeasonScores[];
  /** Per model, one reliability table per outcome (home, draw, away). */
  readonly calibration: Readonly<Record<string, readonly ReliabilityTable[]>>;
  /** Per model, running mean of (model RPS − reference RPS) after each match: below 0 = beating the reference. */
  readonly cumulativeRpsVsReference: Readonly<Record<string, readonly (readonly [kickoffAtMs: number, delta: number])[]>>;
  readonly fitMs: Readonly<Record<string, { readonly median: number; readonly p90: number; readonly total: number }>>;
  readonly refits: number;
}

function scores(probabilities: Float64Array, outcomes: Int32Array): ModelScores {
  return {
    matches: outcomes.length,
    rps: rankedProbabilityScore(probabilities, outcomes),
    logLoss: logLoss(probabilities, outcomes),
    brier: brierScore(probabilities, outcomes),
    accuracy: accuracy(probabilities, outcomes),
    ece: expectedCalibrationError(probabilities, outcomes, { bins: 10 }),
  };
}

function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** Row-subset of a row-major n × 3 matrix. */
function pick(matrix: Float64Array, rows: readonly number[]): Float64Array {
  const out = new Float64Array(rows.length * 3);
  rows.forEach((r, i) => out.set(matrix.subarray(r * 3, r * 3 + 3), i * 3));
  return out;
}

/**
 * Scores every model on the matches that all of them priced, overall and per season, with
 * calibration tables, cumulative RPS against the reference and fit times.
 */
export function summarizeBacktest(result: WalkForwardResult, reference: string | null): BacktestSummary {
  const models = [...result.probabilities.keys()];
  const n = result.matches.length;
  const common: number[] = [];
  for (let i = 0; i < n; i++) {
    if (models.every((m) => !Number.isNaN(result.probabilities.get(m)![i * 3]!))) common.push(i);
  }
  const outcomes = Int32Array.from(common, (i) => result.outcomes[i]!);
  const byModel = new Map(models.map((m) => [m, pick(result.probabilities.get(m)!, common)]));

  const overall: Record<string, ModelScores> = {};
  const calibration: Record<string, ReliabilityTable[]> = {};
  for (const [m, p] of byModel) {
    overall[m] = scores(p, outcomes);
    calibration[m] = reliabilityTables(p, outcomes, { bins: 10 });
  }

  const seasonKeys = new Map<string, number[]>();
  common.forEach((row, i) => {
    const match = result.matches[row]!;
    const key = `${match.competition}\u0000${match.season}`;
    let list = seasonKeys.get(key);
    if (!list) seasonKeys.set(key, (list = []));
    list.push(i);
  });
  const bySeason: SeasonScores[] = [...seasonKeys].map(([key, rows]) => {
    const [competition, season] = key.split('\u0000') as [string, string];
    const seasonOutcomes = Int32Array.from(rows, (i) => outcomes[i]!);
    const seasonScores: Record<string, ModelScores> = {};
    for (const [m, p] of byModel) seasonScores[m] = scores(pick(p, rows), seasonOutcomes);
    return { competition, season, scores: seasonScores };
  });

  const cumulativeRpsVsReference: Record<string, [number, number][]> = {};
  if (reference && byModel.has(reference)) {
    const referenceRps = rpsPerRow(byModel.get(reference)!, outcomes);
    // About 300 points per line keeps the report light whatever the number of matches.
    const every = Math.max(1, Math.floor(common.length / 300));
    for (const [m, p] of byModel) {
      if (m === reference) continue;
      const rps = rpsPerRow(p, outcomes);
      const points: [number, number][] = [];
      let sum = 0;
      for (let i = 0; i < rps.length; i++) {
        sum += rps[i]! - referenceRps[i]!;
        if ((i + 1) % every === 0 || i === rps.length - 1) points.push([result.matches[common[i]!]!.kickoffAtMs, sum / (i + 1)]);
      }
      cumulativeRpsVsReference[m] = points;
    }
  }

  const fitMs: Record<string, { median: number; p90: number; total: number }> = {};
  for (const [m, times] of result.fitMs) {
    const sorted = Float64Array.from(times).sort();
    fitMs[m] = { median: quantile(sorted, 0.5), p90: quantile(sorted, 0.9), total: sorted.reduce((a, b) => a + b, 0) };
  }

  return {
    models,
    reference: reference && byModel.has(reference) ? reference : null,
    matches: common.length,
    excluded: n - common.length,
    overall,
    bySeason,
    calibration,
    cumulativeRpsVsReference,
    fitMs,
    refits: result.refits,
  };
}
