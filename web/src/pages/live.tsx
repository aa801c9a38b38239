import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { LineChart } from '../components/charts';
import { Badge, Card, Empty, ErrorState, Loading, ProbabilityBar, StatusBadge, View } from '../components/ui';
import { num, pct, when } from '../format';
import { useApi } from '../hooks';
import { Link } from '../router';
import { followStream } from '../sse';

interface Probability {
  home: number;
  draw: number;
  away: number;
  nextGoalHome: number;
  nextGoalNone: number;
  nextGoalAway: number;
  modelVersion: string;
}
interface Summary {
  matchId: string;
  homeTeam: string;
  awayTeam: string;
  status: 'live' | 'finished';
  period: number;
  minute: number;
  second: number;
  lastIndex: number;
  score: { home: number; away: number };
  probability: Probability;
  updatedAt: string;
}
interface TeamStats {
  goals: number;
  shots: number;
  shotsOnTarget: number;
  xg: number;
  corners: number;
  yellowCards: number;
  redCards: number;
  substitutions: number;
}
interface MatchState extends Summary {
  stats: { home: TeamStats; away: TeamStats };
  possessionHome: number;
}
interface Moment {
  index: number;
  kind: string;
  period: number;
  minute: number;
  second: number;
  team: string;
  player?: string;
  detail?: string;
}
interface Point {
  index: number;
  minute: number;
  second: number;
  home: number;
  draw: number;
  away: number;
}
interface Update {
  matchId: string;
  index: number;
  period: number;
  minute: number;
  second?: number;
  score: { home: number; away: number };
  status?: 'live' | 'finished';
  xg?: { home: number; away: number };
  shots?: { home: number; away: number };
  probability: Probability;
  moment?: Moment;
  timeline?: Moment[];
}

/** Live and recent matches, refreshed every few seconds. */
export function LiveListPage() {
  const matches = useApi<{ matches: Summary[] }>('/live/matches', 5000);
  return (
    <div className="page">
      <header className="page-head">
        <div>
          <h1>Live centre</h1>
          <p className="muted">In-play win probabilities, updated after every event.</p>
        </div>
      </header>
      <View loaded={matches} empty={(d) => d.matches.length === 0 && 'No live or recent matches right now. Matches appear here as soon as their first event arrives.'}>
        {(d) => (
          <div className="live-grid">
            {d.matches.map((m) => (
              <Link key={m.matchId} to={`/live/${encodeURIComponent(m.matchId)}`} className="card live-card" data-testid="live-match">
                <div className="live-card-head">
                  <StatusBadge status={m.status} />
                  <span className="muted">{m.status === 'live' ? `${m.minute}'` : 'FT'}</span>
                </div>
                <div className="live-score">
                  <span>{m.homeTeam}</span>
                  <b>
                    {m.score.home} – {m.score.away}
                  </b>
                  <span>{m.awayTeam}</span>
                </div>
                <ProbabilityBar {...m.probability} />
              </Link>
            ))}
          </div>
        )}
      </View>
    </div>
  );
}

const minuteOf = (p: { minute: number; second?: number }) => p.minute + (p.second ?? 0) / 60;

/** One match: scoreboard, timeline, stats and a win-probability chart that moves with the SSE stream. */
export function LiveMatchPage({ matchId }: { matchId: string }) {
  const id = encodeURIComponent(matchId);
  const state = useApi<MatchState>(`/live/matches/${id}`);
  const history = useApi<{ points: Point[] }>(`/live/matches/${id}/probabilities`);
  const timeline = useApi<{ timeline: Moment[] }>(`/live/matches/${id}/timeline`);
  const [live, setLive] = useState<Update | null>(null);
  const [points, setPoints] = useState<Point[]>([]);
  const [moments, setMoments] = useState<Moment[]>([]);
  const [connection, setConnection] = useState<'connecting' | 'open' | 'retrying' | 'closed'>('connecting');
  const [, setEvents] = useState(0);

  useEffect(() => {
    if (history.data) setPoints((p) => mergePoints(history.data!.points, p));
  }, [history.data]);
  useEffect(() => {
    if (timeline.data) setMoments((m) => mergeMoments(timeline.data!.timeline, m));
  }, [timeline.data]);

  useEffect(() => {
    const stop = followStream(
      `/live/matches/${id}/stream`,
      (message) => {
        if (message.event !== 'snapshot' && message.event !== 'update' && message.event !== 'tick') return;
        const u = JSON.parse(message.data) as Update;
        setLive((prev) => ({ ...(prev ?? {}), ...u }));
        setPoints((p) => mergePoints(p, [{ index: u.index, minute: u.minute, second: u.second ?? 0, home: u.probability.home, draw: u.probability.draw, away: u.probability.away }]));
        if (u.moment) setMoments((m) => mergeMoments(m, [u.moment!]));
        if (u.timeline) setMoments((m) => mergeMoments(m, u.timeline!));
        setEvents((n) => n + 1);
      },
      setConnection,
    );
    return stop;
  }, [id]);

  if (!state.data) return <div className="page">{state.error ? <ErrorState error={state.error} retry={state.reload} /> : <Loading />}</div>;
  const s = state.data;
  const score = live?.score ?? s.score;
  const probability = live?.probability ?? s.probability;
  const minute = live?.minute ?? s.minute;
  const status = live?.status ?? s.status;
  const xg = live?.xg ?? { home: s.stats.home.xg, away: s.stats.away.xg };
  const shots = live?.shots ?? { home: s.stats.home.shots, away: s.stats.away.shots };
  return (
    <div className="page">
      <p>
        <Link to="/live">← All matches</Link>
      </p>
      <section className="scoreboard card" aria-label="Scoreboard">
        <div className="sb-team">{s.homeTeam}</div>
        <div className="sb-score" data-testid="score">
          {score.home} – {score.away}
        </div>
        <div className="sb-team">{s.awayTeam}</div>
        <div className="sb-meta">
          <StatusBadge status={status} /> {status === 'live' ? `${minute}'` : 'Full time'} ·{' '}
          <span className={`conn conn-${connection}`} role="status">
            {connection === 'open' ? '● live stream' : connection === 'retrying' ? 'reconnecting…' : connection}
          </span>
        </div>
      </section>
      <div className="grid-2">
        <Card title="Win probability" actions={<Badge tone="info">{probability.modelVersion}</Badge>}>
          <div data-testid="live-probability" data-home={probability.home.toFixed(4)}>
            <ProbabilityBar {...probability} labels={[s.homeTeam, 'Draw', s.awayTeam]} />
          </div>
          <ProbabilityChart points={points} home={s.homeTeam} away={s.awayTeam} />
          {history.error?.status === 403 && <p className="muted small">The full history before you opened the page is a premium feature; the chart grows from now.</p>}
          <p className="small muted">
            Next goal: {s.homeTeam} {pct(probability.nextGoalHome)} · none {pct(probability.nextGoalNone)} · {s.awayTeam} {pct(probability.nextGoalAway)}
          </p>
        </Card>
        <div className="stack">
          <Card title="Stats">
            <table className="table compact stats-table">
              <thead>
                <tr>
                  <th scope="col">{s.homeTeam}</th>
                  <th scope="col" />
                  <th scope="col">{s.awayTeam}</th>
                </tr>
              </thead>
              <tbody>
                <StatRow label="xG" home={num(xg.home)} away={num(xg.away)} />
                <StatRow label="Shots" home={shots.home} away={shots.away} />
                <StatRow label="On target" home={s.stats.home.shotsOnTarget} away={s.stats.away.shotsOnTarget} />
                <StatRow label="Corners" home={s.stats.home.corners} away={s.stats.away.corners} />
                <StatRow label="Cards" home={<Cards yellow={s.stats.home.yellowCards} red={s.stats.home.redCards} />} away={<Cards yellow={s.stats.away.yellowCards} red={s.stats.away.redCards} />} />
                <StatRow label="Possession" home={pct(s.possessionHome)} away={pct(1 - s.possessionHome)} />
              </tbody>
            </table>
          </Card>
          <Card title="Timeline">
            {moments.length === 0 ? (
              <Empty>No key moments yet.</Empty>
            ) : (
              <ol className="timeline" aria-live="polite">
                {[...moments].reverse().map((m) => (
                  <li key={m.index} className={`moment moment-${m.kind}`}>
                    <span className="moment-minute">{m.minute}'</span>
                    <span className="moment-kind">{m.kind.replace(/-/g, ' ')}</span>
                    <span>
                      {m.team}
                      {m.player ? ` · ${m.player}` : ''}
                      {m.detail ? ` · ${m.detail}` : ''}
                    </span>
                  </li>
                ))}
              </ol>
            )}
          </Card>
        </div>
      </div>
      <p className="muted small">Last update {when(s.updatedAt)}.</p>
    </div>
  );
}

/** Yellow and red card counts as coloured card shapes (drawn in CSS: no emoji font needed). */
function Cards({ yellow, red }: { yellow: number; red: number }) {
  return (
    <span aria-label={`${yellow} yellow, ${red} red`}>
      <span className="card-icon card-yellow" aria-hidden="true" /> {yellow} <span className="card-icon card-red" aria-hidden="true" /> {red}
    </span>
  );
}

function StatRow({ label, home, away }: { label: string; home: ReactNode; away: ReactNode }) {
  return (
    <tr>
      <td>{home}</td>
      <th scope="row">{label}</th>
      <td>{away}</td>
    </tr>
  );
}

function mergePoints(a: readonly Point[], b: readonly Point[]): Point[] {
  const byKey = new Map<string, Point>();
  for (const p of [...a, ...b]) byKey.set(`${p.index}:${p.minute}`, p);
  return [...byKey.values()].sort((x, y) => minuteOf(x) - minuteOf(y) || x.index - y.index);
}

function mergeMoments(a: readonly Moment[], b: readonly Moment[]): Moment[] {
  const byIndex = new Map<number, Moment>();
  for (const m of [...a, ...b]) byIndex.set(m.index, m);
  return [...byIndex.values()].sort((x, y) => x.index - y.index);
}

function ProbabilityChart({ points, home, away }: { points: readonly Point[]; home: string; away: string }) {
  const series = useMemo(
    () => [
      { name: home, className: 's-home', points: points.map((p) => ({ x: minuteOf(p), y: p.home })) },
      { name: 'Draw', className: 's-draw', points: points.map((p) => ({ x: minuteOf(p), y: p.draw })) },
      { name: away, className: 's-away', points: points.map((p) => ({ x: minuteOf(p), y: p.away })) },
    ],
    [points, home, away],
  );
  return <LineChart title="Win probability by minute" series={series} yDomain={[0, 1]} formatY={(y) => pct(y)} formatX={(x) => `${Math.round(x)}'`} xLabel="minute" step />;
}

