import { describe, expect, it } from 'vitest';
import { SYNTHETIC_START_MS, syntheticMatches } from '../../../test/support/synthetic-matches.js';
import { rankedProbabilityScore } from '../../ml/metrics/ranked-probability-score.js';
import { renderBacktestReport } from './backtest-report.js';
import { summarizeBacktest } from './backtest-summary.js';
import type { PredictorSpec } from './one-x-two-predictor.js';
import { runWalkForward } from './walk-forward.js';

const DAY = 86_400_000;

/** Predicts the base rates of the history it was fitted on (a fair, leak-free baseline). */
const baseRates: PredictorSpec = {
  name: 'base-rates',
  label: 'share of home wins, draws and away wins so far',
  create: () => {
    let p = { home: 1 / 3, draw: 1 / 3, away: 1 / 3 };
    return {
      fit(history) {
        if (history.length === 0) return;
        const c = [0, 0, 0];
        for (const m of history) c[m.homeGoals > m.awayGoals ? 0 : m.homeGoals === m.awayGoals ? 1 : 2]!++;
        p = { home: c[0]! / history.length, draw: c[1]! / history.length, away: c[2]! / history.length };
      },
      predict: () => p,
    };
  },
};
const uniform: PredictorSpec = { name: 'uniform', label: 'one third each', create: () => ({ fit() {}, predict: () => ({ home: 1 / 3, draw: 1 / 3, away: 1 / 3 }) }) };
const pickyUniform: PredictorSpec = {
  name: 'picky',
  label: 'abstains on date-only kick-offs',
  create: () => ({ fit() {}, predict: (f) => (f.kickoffTimeKnown ? { home: 1 / 3, draw: 1 / 3, away: 1 / 3 } : undefined) }),
};

describe('summarizeBacktest and renderBacktestReport', () => {
  const result = runWalkForward(syntheticMatches(200), [uniform, baseRates, pickyUniform], { evaluateFromMs: SYNTHETIC_START_MS + 100 * DAY });
  const summary = summarizeBacktest(result, 'uniform');

  it('scores every model on the same matches: those all of them priced', () => {
    expect(summary.matches).toBe(100); // the picky model priced only the 100 timed kick-offs
    expect(summary.excluded).toBe(100);
    const rows = result.matches.flatMap((m, i) => (m.kickoffTimeKnown ? [i] : []));
    const p = result.probabilities.get('uniform')!;
    const expected = rankedProbabilityScore(
      Float64Array.from(rows.flatMap((i) => [p[i * 3]!, p[i * 3 + 1]!, p[i * 3 + 2]!])),
      Int32Array.from(rows, (i) => result.outcomes[i]!),
    );
    expect(summary.overall.uniform!.rps).toBeCloseTo(expected, 12);
    expect(summary.overall.picky!.rps).toBeCloseTo(expected, 12);
    expect(summary.bySeason).toHaveLength(1);
    expect(summary.calibration['base-rates']).toHaveLength(3);
  });

  it('tracks the running RPS difference against the reference, ending at the overall difference', () => {
    const line = summary.cumulativeRpsVsReference['base-rates']!;
    expect(line.length).toBeGreaterThan(10);
    expect(line.at(-1)![1]).toBeCloseTo(summary.overall['base-rates']!.rps - summary.overall.uniform!.rps, 12);
    expect(summary.cumulativeRpsVsReference.uniform).toBeUndefined();
  });

  it('renders a self-contained page with the table, the comparison chart and three calibration charts', () => {
    const html = renderBacktestReport(summary, {
      title: 'Backtest <test>',
      competitions: ['T1'],
      seasons: '1920',
      refitEveryDays: 7,
      trainingWindowDays: 1095,
      modelLabels: { uniform: uniform.label, 'base-rates': baseRates.label, picky: pickyUniform.label },
      generatedAt: '2026-11-24T00:00:00Z',
      durationMs: 1234,
    });
    expect(html).toContain('<title>Backtest &lt;test&gt;</title>');
    expect(html.match(/<svg /g)).toHaveLength(4);
    expect(html).toContain('share of home wins, draws and away wins so far');
    expect(html).toContain(summary.overall['base-rates']!.rps.toFixed(4));
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });
});
