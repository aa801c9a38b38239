import { outcomeOf, toFixture, type Fixture, type PlayedMatch } from '../football-match.js';
import type { PredictorSpec } from './one-x-two-predictor.js';

const DAY_MS = 86_400_000;

/** How the walk-forward backtest refits and which fixtures it predicts. */
export interface WalkForwardOptions {
  /** Predict matches kicking off at or after this instant (UTC ms). */
  readonly evaluateFromMs: number;
  /** …and before this one (default: after the last match). */
  readonly evaluateToMs?: number;
  /** Refit cadence in days (default 7: weekly). */
  readonly refitEveryDays?: number;
  /** Train on matches from this many days before each refit (default 3 × 365). */
  readonly trainingWindowDays?: number;
  /**
   * Run the walk-forward this many days before `evaluateFromMs` without scoring it: models that learn
   * from their own earlier predictions (the stacked ensemble) then start the scored period warmed up.
   */
  readonly burnInDays?: number;
  /** Called after each refit block with blocks done and total blocks. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Every evaluated match with each model's probabilities (NaN where a model gave none). */
export interface WalkForwardResult {
  readonly matches: readonly PlayedMatch[];
  readonly outcomes: Int32Array;
  /** Model name → row-major n × 3 probabilities (home, draw, away). */
  readonly probabilities: ReadonlyMap<string, Float64Array>;
  /** Model name → milliseconds spent fitting, per refit block. */
  readonly fitMs: ReadonlyMap<string, Float64Array>;
  readonly refits: number;
}

/**
 * Walk-forward backtest: at each refit instant T every model is fitted on the matches that kicked
 * off in [T − window, T) and then predicts the fixtures kicking off in [T, T + cadence), seeing them
 * only as fixtures (no result, no closing odds). So nothing a model uses was unknown before kick-off.
 */
export function runWalkForward(
  allMatches: readonly PlayedMatch[],
  specs: readonly PredictorSpec[],
  options: WalkForwardOptions,
): WalkForwardResult {
  const cadenceMs = (options.refitEveryDays ?? 7) * DAY_MS;
  const windowMs = (options.trainingWindowDays ?? 3 * 365) * DAY_MS;
  if (!(cadenceMs > 0) || !(windowMs > 0)) throw new RangeError('refit cadence and training window must be positive');
  const matches = [...allMatches].sort((a, b) => a.kickoffAtMs - b.kickoffAtMs || a.matchId - b.matchId);
  const evaluateTo = options.evaluateToMs ?? Number.POSITIVE_INFINITY;
  const runFromMs = options.evaluateFromMs - (options.burnInDays ?? 0) * DAY_MS;
  const firstIndex = matches.findIndex((m) => m.kickoffAtMs >= runFromMs);
  const predicted = firstIndex < 0 ? [] : matches.slice(firstIndex).filter((m) => m.kickoffAtMs < evaluateTo);
  // Burn-in fixtures are predicted (so models can learn from them later) but never scored.
  const burnIn = predicted.findIndex((m) => m.kickoffAtMs >= options.evaluateFromMs);
  const scoredFrom = burnIn < 0 ? predicted.length : burnIn;
  const evaluated = predicted.slice(scoredFrom);

  const n = evaluated.length;
  const outcomes = new Int32Array(n);
  const probabilities = new Map<string, Float64Array>();
  for (const spec of specs) probabilities.set(spec.name, new Float64Array(n * 3).fill(Number.NaN));
  evaluated.forEach((m, i) => (outcomes[i] = outcomeOf(m.homeGoals, m.awayGoals)));

  // Refit blocks over everything predicted (burn-in included): consecutive fixtures grouped by
  // cadence, starting at the UTC day of the first one; `from`/`to` index `predicted`.
  const blocks: { startMs: number; from: number; to: number }[] = [];
  if (predicted.length > 0) {
    const originMs = Math.floor(predicted[0]!.kickoffAtMs / DAY_MS) * DAY_MS;
    for (let i = 0; i < predicted.length; ) {
      const blockIndex = Math.floor((predicted[i]!.kickoffAtMs - originMs) / cadenceMs);
      const startMs = originMs + blockIndex * cadenceMs;
      let j = i;
      while (j < predicted.length && predicted[j]!.kickoffAtMs < startMs + cadenceMs) j++;
      blocks.push({ startMs, from: i, to: j });
      i = j;
    }
  }

  const predictors = specs.map((spec) => ({ spec, predictor: spec.create() }));
  const peers = new Map(predictors.map(({ spec, predictor }) => [spec.name, predictor]));
  for (const { predictor } of predictors) predictor.attachPeers?.(peers);
  const fitMs = new Map(specs.map((s) => [s.name, new Float64Array(blocks.length)]));
  let historyStart = 0;
  let historyEnd = 0;
  for (let b = 0; b < blocks.length; b++) {
    const block = blocks[b]!;
    while (historyEnd < matches.length && matches[historyEnd]!.kickoffAtMs < block.startMs) historyEnd++;
    while (historyStart < historyEnd && matches[historyStart]!.kickoffAtMs < block.startMs - windowMs) historyStart++;
    const history = matches.slice(historyStart, historyEnd);
    const fixtures: Fixture[] = [];
    for (let i = block.from; i < block.to; i++) fixtures.push(toFixture(predicted[i]!));
    assertNoLeak(history, fixtures);

    // Every model is fitted before any predicts, so models that borrow a peer see it fitted.
    for (const { spec, predictor } of predictors) {
      const started = performance.now();
      predictor.fit(history, block.startMs);
      fitMs.get(spec.name)![b] = performance.now() - started;
    }
    for (const { spec, predictor } of predictors) {
      const out = probabilities.get(spec.name)!;
      for (let k = 0; k < fixtures.length; k++) {
        const p = predictor.predict(fixtures[k]!);
        const scoredRow = block.from + k - scoredFrom;
        if (!p || scoredRow < 0) continue;
        const row = scoredRow * 3;
        out[row] = p.home;
        out[row + 1] = p.draw;
        out[row + 2] = p.away;
      }
    }
    options.onProgress?.(b + 1, blocks.length);
  }
  return { matches: evaluated, outcomes, probabilities, fitMs, refits: blocks.length };
}

/** The structural guarantee, checked at run time too: every training match precedes every fixture. */
function assertNoLeak(history: readonly PlayedMatch[], fixtures: readonly Fixture[]): void {
  if (history.length === 0 || fixtures.length === 0) return;
  const lastTrained = history[history.length - 1]!.kickoffAtMs;
  if (lastTrained >= fixtures[0]!.kickoffAtMs) {
    throw new Error(`leakage: a training match (${lastTrained}) is not before the first fixture (${fixtures[0]!.kickoffAtMs})`);
  }
}

