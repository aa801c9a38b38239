import { duration } from '../format';

/** A pipeline's tasks drawn as a DAG (columns by depth), coloured by each task's state when a run is given. */
export function Dag({ tasks, states = {} }: { tasks: readonly { name: string; dependsOn: readonly string[] }[]; states?: Readonly<Record<string, { status: string; durationMs: number | null }>> }) {
  const depth = new Map<string, number>();
  const byName = new Map(tasks.map((t) => [t.name, t]));
  const depthOf = (name: string, seen = new Set<string>()): number => {
    const known = depth.get(name);
    if (known !== undefined) return known;
    if (seen.has(name)) return 0;
    seen.add(name);
    const t = byName.get(name);
    const d = t && t.dependsOn.length > 0 ? 1 + Math.max(...t.dependsOn.map((p) => depthOf(p, seen))) : 0;
    depth.set(name, d);
    return d;
  };
  for (const t of tasks) depthOf(t.name);
  const columns: string[][] = [];
  for (const t of tasks) (columns[depth.get(t.name)!] ??= []).push(t.name);
  const nodeW = 150;
  const nodeH = 44;
  const gapX = 40;
  const gapY = 14;
  const rows = Math.max(...columns.map((c) => c.length), 1);
  const width = columns.length * (nodeW + gapX) - gapX + 8;
  const height = rows * (nodeH + gapY) - gapY + 8;
  const pos = new Map<string, { x: number; y: number }>();
  columns.forEach((col, ci) => {
    const offset = ((rows - col.length) * (nodeH + gapY)) / 2;
    col.forEach((name, ri) => pos.set(name, { x: 4 + ci * (nodeW + gapX), y: 4 + offset + ri * (nodeH + gapY) }));
  });
  return (
    <div className="dag-scroll">
      <svg className="dag" viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-label={`Tasks: ${tasks.map((t) => `${t.name}${states[t.name] ? ` ${states[t.name]!.status}` : ''}`).join(', ')}`}>
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" className="dag-arrow" />
          </marker>
        </defs>
        {tasks.flatMap((t) =>
          t.dependsOn.map((from) => {
            const a = pos.get(from);
            const b = pos.get(t.name);
            if (!a || !b) return null;
            const x1 = a.x + nodeW;
            const y1 = a.y + nodeH / 2;
            const x2 = b.x;
            const y2 = b.y + nodeH / 2;
            return <path key={`${from}-${t.name}`} className="dag-edge" d={`M${x1},${y1} C${x1 + gapX / 2},${y1} ${x2 - gapX / 2},${y2} ${x2},${y2}`} markerEnd="url(#arrow)" />;
          }),
        )}
        {tasks.map((t) => {
          const p = pos.get(t.name)!;
          const s = states[t.name];
          return (
            <g key={t.name} transform={`translate(${p.x},${p.y})`} className={`dag-node status-${s?.status ?? 'none'}`}>
              <rect width={nodeW} height={nodeH} rx={8} />
              <text x={10} y={18} className="dag-name">
                {t.name.length > 20 ? `${t.name.slice(0, 19)}…` : t.name}
              </text>
              <text x={10} y={34} className="dag-meta">
                {s ? `${s.status.replace('_', ' ')} · ${duration(s.durationMs)}` : 'task'}
              </text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}
