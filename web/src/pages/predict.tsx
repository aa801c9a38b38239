import { useState, type FormEvent } from 'react';
import { qs } from '../api';
import { ScoreHeatmap } from '../components/charts';
import { Badge, Card, ErrorState, Loading, ProbabilityBar } from '../components/ui';
import { num, pct } from '../format';
import { useApi } from '../hooks';

interface Settlement {
  win: number;
  halfWin: number;
  push: number;
  halfLose: number;
  lose: number;
}
interface Markets {
  oneXTwo: { home: number; draw: number; away: number };
  fairOdds: { home: number; draw: number; away: number };
  expectedGoals: { home: number; away: number };
  totals: { line: number; over: Settlement; under: Settlement; fairOver: number; fairUnder: number }[];
  bothTeamsToScore: { yes: number; no: number };
  asianHandicap: { homeLine: number; home: Settlement; away: Settlement; fairHome: number; fairAway: number }[];
  exactScores: { homeGoals: number; awayGoals: number; probability: number }[];
  scorelines: { homeGoals: number; awayGoals: number; probability: number }[];
}
interface Prediction {
  homeTeam: string;
  awayTeam: string;
  neutral: boolean;
  model: { name: string; version: number; predictor: string };
  markets: Markets;
}

const winOf = (s: Settlement) => s.win + s.halfWin / 2;

/** Two teams of a league → every market from one score grid. */
export function PredictPage() {
  const competitions = useApi<{ competitions: { code: string; name: string }[] }>('/football/competitions');
  const [league, setLeague] = useState('');
  const code = league || competitions.data?.competitions[0]?.code || '';
  const teams = useApi<{ teams: string[] }>(code ? `/football/competitions/${code}` : null);
  const [home, setHome] = useState('');
  const [away, setAway] = useState('');
  const [neutral, setNeutral] = useState(false);
  const [asked, setAsked] = useState<string | null>(null);
  const prediction = useApi<Prediction>(asked);
  const list = teams.data?.teams ?? [];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const h = home || list[0];
    const a = away || list[1];
    if (h && a) setAsked(`/football/competitions/${code}/predict${qs({ home: h, away: a, neutral: neutral || undefined })}`);
  };
  return (
    <div className="page">
      <header className="page-head">
        <div>
          <h1>Match predictor</h1>
          <p className="muted">Pick any two teams of a league: 1X2, scorelines, totals, both teams to score and Asian handicap all come from one score grid.</p>
        </div>
      </header>
      <Card>
        <form className="predict-form" onSubmit={submit}>
          <label>
            League
            <select value={code} onChange={(e) => (setLeague(e.target.value), setHome(''), setAway(''))}>
              {competitions.data?.competitions.map((c) => (
                <option key={c.code} value={c.code}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Home team
            <select name="home" value={home || list[0] || ''} onChange={(e) => setHome(e.target.value)}>
              {list.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </label>
          <label>
            Away team
            <select name="away" value={away || list[1] || ''} onChange={(e) => setAway(e.target.value)}>
              {list.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </label>
          <label className="inline">
            <input type="checkbox" checked={neutral} onChange={(e) => setNeutral(e.target.checked)} /> Neutral venue
          </label>
          <button type="submit" className="primary" disabled={list.length < 2}>
            Predict
          </button>
        </form>
        {teams.error && <ErrorState error={teams.error} retry={teams.reload} />}
      </Card>
      {asked && prediction.loading && !prediction.data && <Loading label="Fitting and predicting…" />}
      {prediction.error && <ErrorState error={prediction.error} retry={prediction.reload} />}
      {prediction.data && <PredictionView p={prediction.data} />}
    </div>
  );
}

function PredictionView({ p }: { p: Prediction }) {
  const m = p.markets;
  return (
    <div className="grid-2">
      <Card title={`${p.homeTeam} v ${p.awayTeam}${p.neutral ? ' (neutral)' : ''}`} actions={<Badge tone="info">{`${p.model.name} v${p.model.version}`}</Badge>}>
        <ProbabilityBar {...m.oneXTwo} labels={[p.homeTeam, 'Draw', p.awayTeam]} />
        <table className="table compact">
          <thead>
            <tr>
              <th scope="col" />
              <th scope="col">{p.homeTeam}</th>
              <th scope="col">Draw</th>
              <th scope="col">{p.awayTeam}</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">Probability</th>
              <td>{pct(m.oneXTwo.home, 1)}</td>
              <td>{pct(m.oneXTwo.draw, 1)}</td>
              <td>{pct(m.oneXTwo.away, 1)}</td>
            </tr>
            <tr>
              <th scope="row">Fair odds</th>
              <td>{num(m.fairOdds.home)}</td>
              <td>{num(m.fairOdds.draw)}</td>
              <td>{num(m.fairOdds.away)}</td>
            </tr>
          </tbody>
        </table>
        <p>
          Expected goals <b>{num(m.expectedGoals.home)}</b> – <b>{num(m.expectedGoals.away)}</b> · Both teams to score <b>{pct(m.bothTeamsToScore.yes)}</b>
        </p>
        <ScoreHeatmap cells={m.scorelines} homeTeam={p.homeTeam} awayTeam={p.awayTeam} />
      </Card>
      <div className="stack">
        <Card title="Over / under">
          <table className="table compact">
            <thead>
              <tr>
                <th scope="col">Goals</th>
                <th scope="col">Over</th>
                <th scope="col">Under</th>
                <th scope="col">Fair over</th>
              </tr>
            </thead>
            <tbody>
              {m.totals.map((t) => (
                <tr key={t.line}>
                  <th scope="row">{t.line}</th>
                  <td>{pct(winOf(t.over))}</td>
                  <td>{pct(winOf(t.under))}</td>
                  <td>{num(t.fairOver)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
        <Card title="Asian handicap">
          <table className="table compact">
            <thead>
              <tr>
                <th scope="col">Home line</th>
                <th scope="col">Home wins</th>
                <th scope="col">Push</th>
                <th scope="col">Fair home</th>
                <th scope="col">Fair away</th>
              </tr>
            </thead>
            <tbody>
              {m.asianHandicap.map((a) => (
                <tr key={a.homeLine}>
                  <th scope="row">{a.homeLine > 0 ? `+${a.homeLine}` : a.homeLine}</th>
                  <td>{pct(winOf(a.home))}</td>
                  <td>{pct(a.home.push)}</td>
                  <td>{num(a.fairHome)}</td>
                  <td>{num(a.fairAway)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      </div>
    </div>
  );
}
