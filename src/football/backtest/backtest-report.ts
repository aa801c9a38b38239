import { escapeHtml } from '../../reporting/escape-html.js';
import { PALETTE, svgChart, type ChartSeries } from '../../reporting/svg-chart.js';
import { parseSeasonCode } from '../season-code.js';
import type { BacktestSummary, ModelScores } from './backtest-summary.js';

/** What the report says about how the backtest was run. */
export interface BacktestReportMeta {
  readonly title: string;
  readonly competitions: readonly string[];
  readonly seasons: string;
  readonly refitEveryDays: number;
  readonly trainingWindowDays: number;
  readonly modelLabels: Readonly<Record<string, string>>;
  readonly generatedAt: string;
  readonly durationMs: number;
}

const OUTCOMES = ['home win', 'draw', 'away win'] as const;
const f4 = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : '–');
const signed = (x: number) => (Number.isFinite(x) ? `${x > 0 ? '+' : ''}${x.toFixed(4)}` : '–');
const year = (ms: number) => String(new Date(ms).getUTCFullYear());

function scoreRow(name: string, label: string, s: ModelScores, reference: ModelScores | undefined, fitMedian: number | undefined, best: number): string {
  const delta = reference ? s.rps - reference.rps : NaN;
  return `<tr${s.rps === best ? ' class="best"' : ''}><th scope="row">${escapeHtml(name)}</th><td class="label">${escapeHtml(label)}</td>` +
    `<td>${f4(s.rps)}</td><td class="${delta < 0 ? 'good' : delta > 0 ? 'bad' : ''}">${signed(delta)}</td>` +
    `<td>${f4(s.logLoss)}</td><td>${f4(s.brier)}</td><td>${(s.accuracy * 100).toFixed(1)} %</td><td>${f4(s.ece)}</td>` +
    `<td>${fitMedian === undefined ? '–' : fitMedian.toFixed(1)}</td></tr>`;
}

/** 1 January of every year the series span, as epoch ms. */
function newYearTicks(series: readonly ChartSeries[]): number[] {
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  if (xs.length === 0) return [];
  const first = new Date(Math.min(...xs)).getUTCFullYear();
  const last = new Date(Math.max(...xs)).getUTCFullYear();
  const ticks: number[] = [];
  for (let y = first; y <= last + 1; y++) ticks.push(Date.UTC(y, 0, 1));
  return ticks;
}

/**
 * A self-contained HTML page (inline CSS and SVG, no scripts, no network): the comparison table,
 * cumulative RPS against the bookmaker, calibration per outcome and the per-season breakdown.
 */
export function renderBacktestReport(summary: BacktestSummary, meta: BacktestReportMeta): string {
  const reference = summary.reference ? summary.overall[summary.reference] : undefined;
  const best = Math.min(...summary.models.map((m) => summary.overall[m]!.rps));
  const rows = summary.models
    .map((m) => scoreRow(m, meta.modelLabels[m] ?? m, summary.overall[m]!, reference, summary.fitMs[m]?.median, best))
    .join('\n');

  const colourOf = (model: string) => PALETTE[summary.models.indexOf(model) % PALETTE.length]!;
  const cumulative = Object.entries(summary.cumulativeRpsVsReference).map(
    ([name, points]): ChartSeries => ({ name, points, colour: colourOf(name) }),
  );
  const cumulativeChart = cumulative.length
    ? svgChart(cumulative, {
        title: `Running mean RPS difference against ${summary.reference} (below 0 = better than the bookmaker)`,
        xLabel: 'kick-off',
        yLabel: 'mean RPS − reference RPS',
        width: 880,
        height: 380,
        formatX: year,
        xTicks: newYearTicks(cumulative),
        zeroLine: true,
      })
    : '<p>No reference model was included, so there is no comparison chart.</p>';

  const calibrationCharts = OUTCOMES.map((outcome, k) =>
    svgChart(
      summary.models.map((m): ChartSeries => {
        const bins = summary.calibration[m]![k]!.bins.filter((b) => b.count > 0 && b.meanPredicted !== null);
        return {
          name: m,
          colour: colourOf(m),
          points: bins.map((b) => [b.meanPredicted!, b.observedFrequency!] as const),
          weights: bins.map((b) => b.count),
        };
      }),
      {
        title: `Calibration: ${outcome}`,
        xLabel: 'predicted probability',
        yLabel: 'observed frequency',
        width: 420,
        height: 400,
        xDomain: [0, 1],
        yDomain: [0, 1],
        diagonal: true,
        formatX: (x) => x.toFixed(1),
        formatY: (y) => y.toFixed(1),
      },
    ),
  ).join('\n');

  const seasonHeader = summary.models.map((m) => `<th scope="col">${escapeHtml(m)}</th>`).join('');
  const seasonRows = summary.bySeason
    .map((s) => {
      const seasonBest = Math.min(...summary.models.map((m) => s.scores[m]!.rps));
      const cells = summary.models
        .map((m) => `<td${s.scores[m]!.rps === seasonBest ? ' class="best"' : ''}>${f4(s.scores[m]!.rps)}</td>`)
        .join('');
      const first = s.scores[summary.models[0]!]!;
      const label = parseSeasonCode(s.season)?.label ?? s.season;
      return `<tr><th scope="row">${escapeHtml(s.competition)} ${escapeHtml(label)}</th><td>${first.matches}</td>${cells}</tr>`;
    })
    .join('\n');

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(meta.title)}</title>
<style>
  body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 960px; padding: 0 1rem; color: #1a1a1a; }
  h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; margin-top: 2.2rem; }
  .meta { color: #555; } table { border-collapse: collapse; width: 100%; margin: .8rem 0; font-variant-numeric: tabular-nums; }
  th, td { padding: .35rem .5rem; border-bottom: 1px solid #e3e3e3; text-align: right; }
  th[scope=row], td.label { text-align: left; } td.label { color: #555; font-size: .9em; }
  tr.best th, td.best { font-weight: 700; } .good { color: #08753b; } .bad { color: #b3261e; }
  .charts { display: flex; flex-wrap: wrap; gap: 1rem; } svg { max-width: 100%; height: auto; }
  footer { margin-top: 3rem; color: #666; font-size: .85em; }
</style>
</head>
<body>
<h1>${escapeHtml(meta.title)}</h1>
<p class="meta">${escapeHtml(meta.competitions.join(', '))} · seasons ${escapeHtml(meta.seasons)} · walk-forward, refit every ${meta.refitEveryDays} day(s) on the previous ${meta.trainingWindowDays} days ·
${summary.matches.toLocaleString('en-GB')} matches scored${summary.excluded ? ` (${summary.excluded} left out because a model could not price them)` : ''} · ${summary.refits} refits · ${(meta.durationMs / 1000).toFixed(1)} s · ${escapeHtml(meta.generatedAt)}</p>

<h2>Comparison</h2>
<p>Each model only ever saw matches that kicked off before the fixture it priced. RPS (ranked probability score) rewards putting probability near the actual result in the order home, draw, away; lower is better. Δ RPS is the difference from ${summary.reference ? escapeHtml(summary.reference) : 'the reference'}: negative means the model beat the bookmaker's own probabilities on the same matches.</p>
<table>
<thead><tr><th scope="col">model</th><th scope="col" class="label">what it is</th><th scope="col">RPS</th><th scope="col">Δ RPS</th><th scope="col">log loss</th><th scope="col">Brier</th><th scope="col">accuracy</th><th scope="col">ECE</th><th scope="col">fit ms (median)</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>

<h2>Against the bookmaker over time</h2>
${cumulativeChart}

<h2>Calibration</h2>
<p>Forecasts grouped by predicted probability against how often the outcome happened; on the dashed diagonal a model is perfectly calibrated. Marker size shows how many forecasts fall in the bin.</p>
<div class="charts">
${calibrationCharts}
</div>

<h2>RPS per season</h2>
<table>
<thead><tr><th scope="col">season</th><th scope="col">matches</th>${seasonHeader}</tr></thead>
<tbody>
${seasonRows}
</tbody>
</table>

<footer>Generated by Tipster. Football results and odds: football-data.co.uk.</footer>
</body>
</html>
`;
}
