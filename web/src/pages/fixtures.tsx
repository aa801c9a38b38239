import { useState } from 'react';
import { api, qs, type Money } from '../api';
import { Badge, Card, Empty, ErrorState, FieldError, ProbabilityBar, View } from '../components/ui';
import { kickoff, num, pct, money } from '../format';
import { useAction, useApi, useSession } from '../hooks';

interface Competition {
  code: string;
  name: string;
  country: string | null;
  seasons: { code: string; label: string }[];
}
interface OneXTwo {
  home: number;
  draw: number;
  away: number;
}
interface Fixture {
  matchId: number;
  kickoffAt: string;
  kickoffTimeKnown: boolean;
  homeTeam: string;
  awayTeam: string;
  state: string;
  homeGoals: number | null;
  awayGoals: number | null;
  prediction: { model: string; version: number; oneXTwo: OneXTwo; markets?: { expectedGoals: { home: number; away: number } } } | null;
}
interface Fixtures {
  competition: string;
  asOf: string;
  from: string;
  to: string;
  model: { name: string; version: number; predictor: string; fittedAsOf: string } | null;
  fixtures: Fixture[];
}
interface ValueBet {
  match: { matchId: number; homeTeam: string; awayTeam: string; kickoffAt: string; competition: string; kickoffTimeKnown: boolean };
  model: { name: string; version: number };
  selection: 'home' | 'draw' | 'away';
  probability: number;
  price: number;
  bookmaker: string;
  edge: number;
  stake: Money;
  explanation: string;
}
interface ValueBets {
  asOf: string;
  bankroll: Money;
  riskLevel: string;
  totalStake: Money;
  bets: ValueBet[];
}

const DAY_MS = 86_400_000;

/** Competitions, then the chosen league's matchday with 1X2 bars, xG and the model version; value bets beside it. */
export function FixturesPage() {
  const session = useSession();
  const premium = session?.user.role === 'premium' || session?.user.role === 'admin';
  const competitions = useApi<{ asOf: string; competitions: Competition[] }>('/football/competitions');
  const [league, setLeague] = useState<string>('');
  const [offsetDays, setOffset] = useState(0);
  const code = league || competitions.data?.competitions[0]?.code || '';
  const asOf = competitions.data ? Date.parse(competitions.data.asOf) : 0;
  const window = premium && offsetDays !== 0 ? { from: new Date(asOf + offsetDays * DAY_MS).toISOString().slice(0, 10), to: new Date(asOf + (offsetDays + 7) * DAY_MS).toISOString().slice(0, 10) } : {};
  const fixtures = useApi<Fixtures>(code ? `/football/competitions/${code}/fixtures${qs({ ...window, markets: premium ? true : undefined })}` : null);

  return (
    <div className="page">
      <header className="page-head">
        <div>
          <h1>Fixtures</h1>
          <p className="muted">Home / draw / away probabilities from each league’s production model{competitions.data ? `, as of ${kickoff(competitions.data.asOf, false)}` : ''}.</p>
        </div>
        <div className="controls">
          <label>
            League
            <select value={code} onChange={(e) => setLeague(e.target.value)} disabled={!competitions.data}>
              {competitions.data?.competitions.map((c) => (
                <option key={c.code} value={c.code}>
                  {c.name} ({c.code})
                </option>
              ))}
            </select>
          </label>
          {premium && (
            <div className="button-group" role="group" aria-label="Matchday">
              <button type="button" onClick={() => setOffset((o) => o - 7)}>
                ← Week
              </button>
              <button type="button" onClick={() => setOffset(0)} aria-pressed={offsetDays === 0}>
                Next matchday
              </button>
              <button type="button" onClick={() => setOffset((o) => o + 7)}>
                Week →
              </button>
            </div>
          )}
        </div>
      </header>
      <div className="grid-2">
        <Card title={fixtures.data ? `${fixtures.data.competition}: ${kickoff(fixtures.data.from, false)} – ${kickoff(new Date(Date.parse(fixtures.data.to) - 1).toISOString(), false)}` : 'Matchday'} actions={fixtures.data?.model && <Badge tone="info">{`${fixtures.data.model.name} v${fixtures.data.model.version} · ${fixtures.data.model.predictor}`}</Badge>}>
          {competitions.error && !competitions.data ? (
            <ErrorState error={competitions.error} retry={competitions.reload} />
          ) : competitions.data?.competitions.length === 0 ? (
            <Empty>No competitions loaded yet: run `tipster ingest football-data` or `npm start`.</Empty>
          ) : (
            <View loaded={fixtures} empty={(d) => d.fixtures.length === 0 && 'No fixtures in this window.'}>
              {(d) => <FixtureList fixtures={d.fixtures} />}
            </View>
          )}
        </Card>
        <ValueBetsCard premium={premium} league={code} />
      </div>
    </div>
  );
}

function FixtureList({ fixtures }: { fixtures: Fixture[] }) {
  return (
    <ul className="fixtures">
      {fixtures.map((f) => (
        <li key={f.matchId} className="fixture" data-testid="fixture">
          <div className="fixture-teams">
            <span className="team home">{f.homeTeam}</span>
            <span className="score">{f.state === 'finished' ? `${f.homeGoals} – ${f.awayGoals}` : 'v'}</span>
            <span className="team away">{f.awayTeam}</span>
          </div>
          <div className="fixture-meta muted">
            {kickoff(f.kickoffAt, f.kickoffTimeKnown)}
            {f.prediction?.markets && (
              <span>
                {' '}
                · xG {num(f.prediction.markets.expectedGoals.home)} – {num(f.prediction.markets.expectedGoals.away)}
              </span>
            )}
            {f.prediction && <span> · v{f.prediction.version}</span>}
          </div>
          {f.prediction ? <ProbabilityBar {...f.prediction.oneXTwo} /> : <div className="muted small">{f.state === 'finished' ? 'Played' : 'No prediction'}</div>}
        </li>
      ))}
    </ul>
  );
}

function ValueBetsCard({ premium, league }: { premium: boolean; league: string }) {
  const [all, setAll] = useState(false);
  const bets = useApi<ValueBets>(premium ? `/betting/value-bets${qs({ competition: all ? undefined : league || undefined, days: 7 })}` : null);
  if (!premium) {
    return (
      <Card title="Value bets">
        <div className="state state-locked">
          <strong>A premium feature</strong>
          <p>Value bets compare the model with every bookmaker’s price and size a Kelly stake from your bankroll. Ask an administrator for premium access.</p>
        </div>
      </Card>
    );
  }
  return (
    <Card
      title="Value bets"
      actions={
        <label className="inline">
          <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} /> all leagues
        </label>
      }
    >
      <View loaded={bets} empty={(d) => d.bets.length === 0 && 'No value bets in the next 7 days at a 2% edge.'}>
        {(d) => (
          <>
            <p className="muted small">
              Bankroll {money(d.bankroll)} · {d.riskLevel} risk · suggested total {money(d.totalStake)}
            </p>
            <ul className="value-bets">
              {d.bets.map((b) => (
                <ValueBetRow key={b.match.matchId} bet={b} onRecorded={bets.reload} />
              ))}
            </ul>
          </>
        )}
      </View>
    </Card>
  );
}

function ValueBetRow({ bet, onRecorded }: { bet: ValueBet; onRecorded: () => void }) {
  const [stake, setStake] = useState(bet.stake.amount);
  const [done, setDone] = useState<string | null>(null);
  const record = useAction(() => api.post<{ id: number }>('/betting/bets', { matchId: bet.match.matchId, market: '1x2', selection: bet.selection, price: bet.price, stake, bookmaker: bet.bookmaker }));
  const pick = bet.selection === 'home' ? bet.match.homeTeam : bet.selection === 'away' ? bet.match.awayTeam : 'Draw';
  return (
    <li className="value-bet" data-testid="value-bet">
      <div className="vb-head">
        <strong>
          {bet.match.homeTeam} v {bet.match.awayTeam}
        </strong>
        <span className="muted small">{kickoff(bet.match.kickoffAt, bet.match.kickoffTimeKnown)}</span>
      </div>
      <div className="vb-figures">
        <span>
          <b>{pick}</b> @ {bet.price.toFixed(2)} ({bet.bookmaker})
        </span>
        <Badge tone="good">edge {pct(bet.edge, 1)}</Badge>
        <span className="muted">model {pct(bet.probability, 1)}</span>
      </div>
      <details>
        <summary>How the stake was sized</summary>
        <p className="small">{bet.explanation}</p>
      </details>
      {done ? (
        <p className="ok" role="status">
          {done}
        </p>
      ) : (
        <form
          className="vb-form"
          onSubmit={async (e) => {
            e.preventDefault();
            const placed = await record.run();
            if (placed) {
              setDone(`Bet #${placed.id} recorded: ${stake} ${bet.stake.currency} on ${pick}.`);
              onRecorded();
            }
          }}
        >
          <label>
            Stake ({bet.stake.currency})
            <input inputMode="decimal" value={stake} onChange={(e) => setStake(e.target.value)} pattern="^\d{1,12}(\.\d{1,4})?$" required />
          </label>
          <button type="submit" className="primary" disabled={record.busy}>
            Record bet
          </button>
          <FieldError error={record.error} />
        </form>
      )}
    </li>
  );
}
