import type { MouseEvent } from 'react';
import { heat } from './charts';
import { pct } from '../format';

const S = 10; // SVG units per foot
const sx = (xFt: number) => (25 - xFt) * S; // NBA.com: positive x is the chart's left
const sy = (yFt: number) => yFt * S; // baseline at the top, hoop 5.25 ft out

/** A half court in NBA.com shot-chart coordinates, with make-probability cells and shot markers. */
export function Court({
  cells = [],
  gridFt = 2,
  shots = [],
  onPick,
}: {
  cells?: readonly { x: number; y: number; p: number }[];
  gridFt?: number;
  shots?: readonly { x: number; y: number; p: number; label: string; made?: boolean | null }[];
  onPick?: (xFt: number, yFt: number) => void;
}) {
  const pick = (e: MouseEvent<SVGSVGElement>) => {
    if (!onPick) return;
    const box = e.currentTarget.getBoundingClientRect();
    const x = 25 - ((e.clientX - box.left) / box.width) * 50;
    const y = ((e.clientY - box.top) / box.height) * 36;
    onPick(Math.round(x * 2) / 2, Math.round(y * 2) / 2);
  };
  const arc = (() => {
    // Three-point line: straight in the corners (|x| = 22) up to where it meets the 23.75 ft arc.
    const r = 23.75;
    const yJoin = 5.25 + Math.sqrt(r * r - 22 * 22);
    return `M${sx(22)},${sy(0)} L${sx(22)},${sy(yJoin)} A${r * S},${r * S} 0 0 0 ${sx(-22)},${sy(yJoin)} L${sx(-22)},${sy(0)}`;
  })();
  return (
    <svg className="court" viewBox={`0 0 ${50 * S} ${36 * S}`} role="img" aria-label="Half court coloured by the model's make probability" onClick={pick}>
      <rect x={0} y={0} width={50 * S} height={36 * S} className="court-floor" />
      {cells.map((c) => (
        <rect key={`${c.x},${c.y}`} x={sx(c.x + gridFt / 2)} y={sy(c.y - gridFt / 2)} width={gridFt * S} height={gridFt * S} fill={heat(c.p, 0.75)} opacity={0.9}>
          <title>{`${pct(c.p)} at (${c.x}, ${c.y})`}</title>
        </rect>
      ))}
      <g className="court-lines">
        <rect x={0} y={0} width={50 * S} height={36 * S} />
        <rect x={sx(8)} y={0} width={16 * S} height={19 * S} />
        <circle cx={sx(0)} cy={sy(19)} r={6 * S} />
        <path d={`M${sx(4)},${sy(5.25)} A${4 * S},${4 * S} 0 0 0 ${sx(-4)},${sy(5.25)}`} />
        <line x1={sx(3)} x2={sx(-3)} y1={sy(4)} y2={sy(4)} />
        <circle cx={sx(0)} cy={sy(5.25)} r={0.75 * S} />
        <path d={arc} />
      </g>
      {shots.map((s, i) => (
        <g key={i} transform={`translate(${sx(s.x)},${sy(s.y)})`}>
          <circle r={9} className={`shot-marker ${s.made === true ? 'made' : s.made === false ? 'missed' : ''}`} fill={heat(s.p, 0.75)} />
          <text className="shot-label" y={-13} textAnchor="middle">
            {s.label}
          </text>
        </g>
      ))}
    </svg>
  );
}
