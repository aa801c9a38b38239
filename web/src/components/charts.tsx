import { useId } from 'react';

/** One line of a chart. */
export interface Series {
  name: string;
  points: readonly { x: number; y: number }[];
  className: string;
  dashed?: boolean;
}

function ticks(min: number, max: number, count: number): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) out.push(Number(v.toFixed(10)));
  return out;
}

/**
 * A line chart in plain SVG: axes with ticks, one path per series, a legend. `yDomain` fixes the
 * vertical range (e.g. [0, 1] for probabilities); `step` draws steps (values that hold until the next point).
 */
export function LineChart({
  series,
  height = 220,
  yDomain,
  formatX = (x) => String(x),
  formatY = (y) => String(y),
  xLabel,
  title,
  step = false,
}: {
  series: readonly Series[];
  height?: number;
  yDomain?: [number, number];
  formatX?: (x: number) => string;
  formatY?: (y: number) => string;
  xLabel?: string;
  title: string;
  step?: boolean;
}) {
  const width = 640;
  const pad = { left: 56, right: 16, top: 12, bottom: xLabel ? 40 : 28 };
  const all = series.flatMap((s) => s.points);
  const titleId = useId();
  if (all.length === 0) return <div className="state state-empty">No points to draw yet.</div>;
  const xs = all.map((p) => p.x);
  const ys = all.map((p) => p.y);
  let [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  if (x0 === x1) [x0, x1] = [x0 - 1, x1 + 1];
  let [y0, y1] = yDomain ?? [Math.min(...ys), Math.max(...ys)];
  if (!yDomain) {
    const padY = (y1 - y0) * 0.08 || Math.abs(y0) * 0.05 || 1;
    [y0, y1] = [y0 - padY, y1 + padY];
  }
  const sx = (x: number) => pad.left + ((x - x0) / (x1 - x0)) * (width - pad.left - pad.right);
  const sy = (y: number) => pad.top + (1 - (y - y0) / (y1 - y0)) * (height - pad.top - pad.bottom);
  const path = (pts: readonly { x: number; y: number }[]) =>
    pts
      .map((p, i) => {
        const prev = pts[i - 1];
        if (i === 0 || !prev) return `M${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`;
        return step ? `H${sx(p.x).toFixed(1)}V${sy(p.y).toFixed(1)}` : `L${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`;
      })
      .join('');
  const yTicks = ticks(y0, y1, 4);
  // Whole-number x values (seasons, indexes) get whole-number ticks only.
  const xTicks = xs.every(Number.isInteger) ? ticks(x0, x1, 6).filter(Number.isInteger) : ticks(x0, x1, 6);
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={titleId} preserveAspectRatio="xMidYMid meet">
        <title id={titleId}>{title}</title>
        {yTicks.map((t) => (
          <g key={`y${t}`}>
            <line className="grid" x1={pad.left} x2={width - pad.right} y1={sy(t)} y2={sy(t)} />
            <text className="tick" x={pad.left - 6} y={sy(t) + 4} textAnchor="end">
              {formatY(t)}
            </text>
          </g>
        ))}
        {xTicks.map((t) => (
          <text key={`x${t}`} className="tick" x={sx(t)} y={height - pad.bottom + 16} textAnchor="middle">
            {formatX(t)}
          </text>
        ))}
        {xLabel && (
          <text className="axis-label" x={(pad.left + width - pad.right) / 2} y={height - 6} textAnchor="middle">
            {xLabel}
          </text>
        )}
        {series.map((s) => (
          <path key={s.name} className={`line ${s.className}`} d={path(s.points)} strokeDasharray={s.dashed ? '5 4' : undefined} />
        ))}
      </svg>
      <figcaption className="legend">
        {series.map((s) => (
          <span key={s.name} className="legend-item">
            <span className={`swatch ${s.className}`} aria-hidden="true" /> {s.name}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

/** Probability → a colour from pale to deep (sequential scale, for heat-maps). */
export function heat(p: number, max = 1): string {
  const t = Math.max(0, Math.min(1, p / max));
  const light = 96 - t * 58;
  return `hsl(152 ${45 + t * 30}% ${light}%)`;
}

/** Scoreline probabilities as a grid: home goals down, away goals across. */
export function ScoreHeatmap({ cells, homeTeam, awayTeam, maxGoals = 5 }: { cells: readonly { homeGoals: number; awayGoals: number; probability: number }[]; homeTeam: string; awayTeam: string; maxGoals?: number }) {
  const byKey = new Map(cells.map((c) => [`${c.homeGoals}-${c.awayGoals}`, c.probability]));
  const max = Math.max(...cells.map((c) => c.probability), 0.01);
  const range = Array.from({ length: maxGoals + 1 }, (_, i) => i);
  return (
    <table className="heatmap">
      <caption>
        Scoreline probabilities: {homeTeam} goals (rows) × {awayTeam} goals (columns)
      </caption>
      <thead>
        <tr>
          <th scope="col" aria-label="home goals \\ away goals" />
          {range.map((a) => (
            <th key={a} scope="col">
              {a}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {range.map((h) => (
          <tr key={h}>
            <th scope="row">{h}</th>
            {range.map((a) => {
              const p = byKey.get(`${h}-${a}`);
              return (
                <td key={a} style={{ background: p === undefined ? undefined : heat(p, max), color: p !== undefined && p / max > 0.6 ? '#fff' : undefined }} title={`${h}-${a}`}>
                  {p === undefined ? '·' : `${(p * 100).toFixed(1)}`}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
