import { escapeHtml } from './escape-html.js';

/** One line (or set of points) on a chart. */
export interface ChartSeries {
  readonly name: string;
  readonly points: readonly (readonly [x: number, y: number])[];
  /** Draw markers sized by this weight (e.g. bin counts) instead of a plain line. */
  readonly weights?: readonly number[];
  readonly dashed?: boolean;
  /** Fixed colour, so one model keeps its colour across charts; default: by position. */
  readonly colour?: string;
}

export interface ChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly width?: number;
  readonly height?: number;
  /** Fixed axis ranges; default: the data's range with a little padding. */
  readonly xDomain?: readonly [number, number];
  readonly yDomain?: readonly [number, number];
  /** Format x tick labels (e.g. epoch ms → year). */
  readonly formatX?: (x: number) => string;
  /** Explicit x tick positions (e.g. each 1 January on a time axis); default: round numbers. */
  readonly xTicks?: readonly number[];
  readonly formatY?: (y: number) => string;
  /** Draw the y = x diagonal (perfect calibration). */
  readonly diagonal?: boolean;
  /** Draw a horizontal reference line at y = 0. */
  readonly zeroLine?: boolean;
}

/** Colour-blind-safe palette (Okabe–Ito), yellow last since it is faint on white. */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'] as const;

/** "Nice" tick values covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const rough = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * magnitude >= rough) ?? 10) * magnitude;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

function extent(values: number[], pad: number): [number, number] {
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (lo === hi) {
    lo -= 1;
    hi += 1;
  }
  const margin = (hi - lo) * pad;
  return [lo - margin, hi + margin];
}

/** A self-contained SVG line/point chart with axes, ticks, legend and an accessible title. */
export function svgChart(series: readonly ChartSeries[], options: ChartOptions): string {
  const width = options.width ?? 640;
  const height = options.height ?? 360;
  const margin = { top: 36, right: 16, bottom: 44, left: 64 };
  // As many legend columns as fit at ~170 px each.
  const legendColumns = Math.max(1, Math.floor((width - margin.left - margin.right) / 170));
  const legendRows = Math.ceil(series.length / legendColumns);
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom - 18 * legendRows;
  const allX = series.flatMap((s) => s.points.map((p) => p[0]));
  const allY = series.flatMap((s) => s.points.map((p) => p[1]));
  const [x0, x1] = options.xDomain ?? extent(allX, 0.02);
  const [y0, y1] = options.yDomain ?? extent(options.zeroLine ? [...allY, 0] : allY, 0.08);
  const sx = (x: number) => margin.left + ((x - x0) / (x1 - x0)) * plotW;
  const sy = (y: number) => margin.top + plotH - ((y - y0) / (y1 - y0)) * plotH;
  const fx = options.formatX ?? ((x: number) => String(x));
  const yTicks = niceTicks(y0, y1);
  // Enough decimals to tell neighbouring ticks apart.
  const fy = options.formatY ?? ((y: number) => y.toFixed(decimalsFor(yTicks)));
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" font-family="system-ui, sans-serif" font-size="12">`,
    `<title>${escapeHtml(options.title)}</title>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14" font-weight="600">${escapeHtml(options.title)}</text>`,
  );
  for (const t of yTicks) {
    const y = sy(t).toFixed(1);
    parts.push(
      `<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${y}" y2="${y}" stroke="#e5e5e5"/>`,
      `<text x="${margin.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle" fill="#555">${escapeHtml(fy(t))}</text>`,
    );
  }
  for (const t of options.xTicks?.filter((x) => x >= x0 && x <= x1) ?? niceTicks(x0, x1, 6)) {
    const x = sx(t).toFixed(1);
    parts.push(
      `<line x1="${x}" x2="${x}" y1="${margin.top + plotH}" y2="${margin.top + plotH + 4}" stroke="#555"/>`,
      `<text x="${x}" y="${margin.top + plotH + 16}" text-anchor="middle" fill="#555">${escapeHtml(fx(t))}</text>`,
    );
  }
  parts.push(
    `<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`,
    `<text x="${margin.left + plotW / 2}" y="${margin.top + plotH + 34}" text-anchor="middle">${escapeHtml(options.xLabel)}</text>`,
    `<text transform="translate(14 ${margin.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(options.yLabel)}</text>`,
  );
  if (options.diagonal) {
    const lo = Math.max(x0, y0);
    const hi = Math.min(x1, y1);
    parts.push(`<line x1="${sx(lo)}" y1="${sy(lo)}" x2="${sx(hi)}" y2="${sy(hi)}" stroke="#999" stroke-dasharray="4 4"/>`);
  }
  if (options.zeroLine && y0 < 0 && y1 > 0) {
    parts.push(`<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${sy(0)}" y2="${sy(0)}" stroke="#666"/>`);
  }
  series.forEach((s, i) => {
    const colour = s.colour ?? PALETTE[i % PALETTE.length];
    if (s.points.length > 0) {
      const d = s.points.map((p, k) => `${k === 0 ? 'M' : 'L'}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join('');
      parts.push(`<path d="${d}" fill="none" stroke="${colour}" stroke-width="1.8"${s.dashed ? ' stroke-dasharray="6 3"' : ''}><title>${escapeHtml(s.name)}</title></path>`);
    }
    if (s.weights) {
      const maxW = Math.max(...s.weights, 1);
      s.points.forEach((p, k) => {
        const r = 2 + 5 * Math.sqrt((s.weights![k] ?? 0) / maxW);
        parts.push(`<circle cx="${sx(p[0]).toFixed(1)}" cy="${sy(p[1]).toFixed(1)}" r="${r.toFixed(1)}" fill="${colour}" fill-opacity="0.6"><title>${escapeHtml(`${s.name}: ${fx(p[0])}, ${fy(p[1])} (n = ${s.weights![k]})`)}</title></circle>`);
      });
    }
  });
  series.forEach((s, i) => {
    const colour = s.colour ?? PALETTE[i % PALETTE.length];
    const x = margin.left + (i % legendColumns) * (plotW / legendColumns);
    // Legend rows sit below the x-axis title, inside the height reserved for them.
    const y = margin.top + plotH + margin.bottom + 12 + 18 * Math.floor(i / legendColumns);
    parts.push(
      `<rect x="${x}" y="${y - 9}" width="14" height="4" fill="${colour}"/>`,
      `<text x="${x + 20}" y="${y - 4}" dominant-baseline="middle">${escapeHtml(s.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/** Decimals needed so that consecutive ticks print differently. */
function decimalsFor(ticks: readonly number[]): number {
  if (ticks.length < 2) return 2;
  const step = Math.abs(ticks[1]! - ticks[0]!);
  return Math.max(0, Math.min(6, Math.ceil(-Math.log10(step) + 1e-9)));
}
