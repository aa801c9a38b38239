import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api';
import { Court } from '../components/court';
import { Badge, Card, Empty, FieldError, View } from '../components/ui';
import { pct } from '../format';
import { useAction, useApi } from '../hooks';

interface Prediction {
  id: string;
  version: number;
  createdByYou: boolean;
  probability: number;
  verifiedOutcome: boolean | null;
  verifications: number;
  disputed: boolean;
  shot: { period: number; secondsLeft: number; locX: number | null; locY: number | null; distanceFt: number; basicZone: string; shotType: string; actionType: string | null; playerId: number | null; opponentTeamId: number | null };
  /** For models with shot-making offsets: the league's rate for the shot, then the shooter's and the defence's log-odds. */
  explanation: { expectedProbability: number; shooterOffset: number; defenceOffset: number } | null;
}
interface Player {
  id: number;
  name: string;
  position: string | null;
  teamId: number | null;
}
interface Team {
  id: number;
  name: string;
  abbreviation: string | null;
}

const ACTIONS = ['Jump Shot', 'Pullup Jump shot', 'Step Back Jump shot', 'Driving Layup Shot', 'Layup Shot', 'Cutting Dunk Shot', 'Running Dunk Shot', 'Driving Floating Jump Shot', 'Tip Layup Shot', 'Hook Shot'];
const clockOf = (s: number) => `${Math.floor(s / 60)}:${String(Math.round(s % 60)).padStart(2, '0')}`;
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const points = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(1)} pts`;

/** "League 41.0% · shooter +2.1 pts · defence −0.4 pts": the offsets as percentage points, in the order they apply. */
function explain(e: NonNullable<Prediction['explanation']>): string {
  const base = Math.log(e.expectedProbability / (1 - e.expectedProbability));
  const withShooter = sigmoid(base + e.shooterOffset);
  const withDefence = sigmoid(base + e.shooterOffset + e.defenceOffset);
  return `league ${pct(e.expectedProbability, 1)} · shooter ${points(withShooter - e.expectedProbability)} · defence ${points(withDefence - withShooter)}`;
}

/** The court coloured by make probability, a form to predict a shot, and a queue of predictions to verify. */
export function NbaPage() {
  const [period, setPeriod] = useState(1);
  const [clock, setClock] = useState('6:00');
  const [actionType, setAction] = useState('Jump Shot');
  const [locX, setX] = useState('0');
  const [locY, setY] = useState('20');
  const [shooterText, setShooterText] = useState('');
  const [shooter, setShooter] = useState<Player | null>(null);
  const [opponentId, setOpponentId] = useState('');
  const [names, setNames] = useState<Record<number, string>>({});
  const search = shooter === null && shooterText.trim().length >= 2 ? `/nba/players?search=${encodeURIComponent(shooterText.trim())}` : null;
  const players = useApi<{ players: Player[] }>(search);
  const teams = useApi<{ teams: Team[] }>('/nba/teams');
  const who = `${shooter ? `&playerId=${shooter.id}` : ''}${opponentId ? `&opponentTeamId=${opponentId}` : ''}`;
  const court = useApi<{ version: number; gridFt: number; cells: { x: number; y: number; p: number }[] }>(`/nba/court?period=${period}&actionType=${encodeURIComponent(actionType)}${who}`);
  // A name typed or pasted in full is taken as soon as the search that finds it answers.
  useEffect(() => {
    const typed = shooterText.trim().toLowerCase();
    const match = shooter === null ? players.data?.players.find((p) => p.name.toLowerCase() === typed) : undefined;
    if (match) {
      setShooter(match);
      setNames((n) => ({ ...n, [match.id]: match.name }));
    }
  }, [players.data, shooter, shooterText]);
  const pickShooter = (text: string) => {
    setShooterText(text);
    const match = players.data?.players.find((p) => p.name === text) ?? (shooter?.name === text ? shooter : null);
    setShooter(match);
    if (match) setNames((n) => ({ ...n, [match.id]: match.name }));
  };
  const [mine, setMine] = useState<Prediction[]>([]);
  const predict = useAction(() =>
    api.post<{ prediction: Prediction }>('/nba/shots/predict', {
      period,
      clock,
      actionType,
      locX: Number(locX),
      locY: Number(locY),
      ...(shooter ? { playerId: shooter.id } : {}),
      ...(opponentId ? { opponentTeamId: Number(opponentId) } : {}),
    }),
  );
  const teamName = (id: number | null) => teams.data?.teams.find((t) => t.id === id)?.abbreviation ?? null;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const result = await predict.run();
    if (result) setMine((m) => [result.prediction, ...m].slice(0, 8));
  };
  return (
    <div className="page">
      <header className="page-head">
        <div>
          <h1>NBA shots</h1>
          <p className="muted">Make probability of a shot from where and when it is taken, how, and by whom. Click the court to place a shot.</p>
        </div>
      </header>
      <div className="grid-2">
        <Card title="Shot chart" actions={court.data && <Badge tone="info">{`nba-shot-make v${court.data.version}`}</Badge>}>
          <View loaded={court}>
            {(c) => (
              <Court
                cells={c.cells}
                gridFt={c.gridFt}
                shots={mine.filter((p) => p.shot.locX !== null).map((p) => ({ x: p.shot.locX!, y: p.shot.locY!, p: p.probability, label: pct(p.probability), made: p.verifiedOutcome }))}
                onPick={(x, y) => (setX(String(x)), setY(String(y)))}
              />
            )}
          </View>
          <p className="legend small">
            <span className="heat-scale" aria-hidden="true" /> pale: unlikely · deep green: likely (colour by make probability for a {actionType.toLowerCase()} in period {period}
            {shooter ? ` by ${shooter.name}` : ''}
            {opponentId ? ` against ${teams.data?.teams.find((t) => String(t.id) === opponentId)?.name ?? 'that defence'}` : ''})
          </p>
        </Card>
        <div className="stack">
          <Card title="Predict a shot">
            <form className="form-grid" onSubmit={submit}>
              <label>
                Period
                <select value={period} onChange={(e) => setPeriod(Number(e.target.value))}>
                  {[1, 2, 3, 4, 5].map((p) => (
                    <option key={p} value={p}>
                      {p <= 4 ? `Q${p}` : 'OT'}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                Clock
                <input name="clock" value={clock} onChange={(e) => setClock(e.target.value)} pattern="^\d{1,2}:[0-5]\d$" required />
              </label>
              <label>
                Action
                <select name="action" value={actionType} onChange={(e) => setAction(e.target.value)}>
                  {ACTIONS.map((a) => (
                    <option key={a}>{a}</option>
                  ))}
                </select>
              </label>
              <label>
                x (ft, left +)
                <input name="locX" type="number" step="0.5" min={-25} max={25} value={locX} onChange={(e) => setX(e.target.value)} required />
              </label>
              <label>
                y (ft from baseline)
                <input name="locY" type="number" step="0.5" min={0} max={47} value={locY} onChange={(e) => setY(e.target.value)} required />
              </label>
              <label>
                Shooter
                <input
                  name="shooter"
                  list="nba-players"
                  placeholder="anyone (type a name)"
                  value={shooterText}
                  onChange={(e) => pickShooter(e.target.value)}
                  aria-invalid={shooterText.trim() !== '' && shooter === null}
                />
                <datalist id="nba-players">
                  {(players.data?.players ?? []).map((p) => (
                    <option key={p.id} value={p.name}>
                      {[p.position, teamName(p.teamId)].filter(Boolean).join(', ')}
                    </option>
                  ))}
                </datalist>
              </label>
              <label>
                Against
                <select name="opponent" value={opponentId} onChange={(e) => setOpponentId(e.target.value)}>
                  <option value="">any defence</option>
                  {(teams.data?.teams ?? []).map((t) => (
                    <option key={t.id} value={t.id}>
                      {t.name}
                    </option>
                  ))}
                </select>
              </label>
              <button type="submit" className="primary" disabled={predict.busy || (shooterText.trim() !== '' && shooter === null)}>
                Predict
              </button>
            </form>
            {shooterText.trim() !== '' && shooter === null && <p className="muted small">Pick a player from the list, or clear the name to predict for anyone.</p>}
            <FieldError error={predict.error} />
            {mine.length > 0 && (
              <ul className="predictions" aria-live="polite">
                {mine.map((p) => (
                  <li key={p.id} data-testid="nba-prediction">
                    <b>{pct(p.probability, 1)}</b> make · {p.shot.playerId !== null ? `${names[p.shot.playerId] ?? `player ${p.shot.playerId}`}, ` : ''}
                    {p.shot.shotType}, {p.shot.basicZone}, {p.shot.distanceFt} ft · {p.shot.actionType ?? 'any action'} · Q{p.shot.period} {clockOf(p.shot.secondsLeft)}
                    {p.shot.opponentTeamId !== null && ` · vs ${teamName(p.shot.opponentTeamId) ?? p.shot.opponentTeamId}`}
                    {p.explanation && <div className="muted small" data-testid="nba-explanation">{explain(p.explanation)}</div>}
                  </li>
                ))}
              </ul>
            )}
          </Card>
          {/* Remounted after each prediction: a new one may be the first to verify. */}
          <VerifyQueue key={mine.length} />
        </div>
      </div>
    </div>
  );
}

function VerifyQueue() {
  const next = useApi<{ prediction: Prediction | null }>('/nba/shots/predictions/unverified');
  const [last, setLast] = useState<string | null>(null);
  const verify = useAction((id: string, made: boolean) => api.post<{ change: string; prediction: Prediction }>(`/nba/shots/predictions/${encodeURIComponent(id)}/verify`, { made }));
  const answer = async (p: Prediction, made: boolean) => {
    const result = await verify.run(p.id, made);
    if (result) {
      setLast(`Recorded: ${made ? 'made' : 'missed'} (model said ${pct(p.probability)}; ${result.change}).`);
      next.reload();
    }
  };
  return (
    <Card title="Verify queue">
      <p className="muted small">Say what really happened: verified shots become training labels for the next retrain.</p>
      {last && (
        <p className="ok" role="status">
          {last}
        </p>
      )}
      <View loaded={next} empty={(d) => d.prediction === null && 'Nothing to verify: every prediction has a verdict.'}>
        {(d) => {
          const p = d.prediction!;
          return (
            <div className="verify" data-testid="verify-item">
              <p>
                {p.shot.shotType} from {p.shot.basicZone} ({p.shot.distanceFt} ft), {p.shot.actionType ?? 'unknown action'}, Q{p.shot.period} {clockOf(p.shot.secondsLeft)}
                {p.createdByYou && <Badge>yours</Badge>}
              </p>
              <p>
                Model: <b>{pct(p.probability, 1)}</b> to go in (v{p.version})
              </p>
              <div className="button-group">
                <button type="button" className="good" onClick={() => answer(p, true)} disabled={verify.busy}>
                  Made it
                </button>
                <button type="button" className="bad" onClick={() => answer(p, false)} disabled={verify.busy}>
                  Missed
                </button>
              </div>
              <FieldError error={verify.error} />
            </div>
          );
        }}
      </View>
      {!next.data && !next.loading && !next.error && <Empty>Nothing to verify.</Empty>}
    </Card>
  );
}
