import { useState } from 'react';
import { qs, type Money } from '../api';
import { LineChart } from '../components/charts';
import { Card, Stat, StatusBadge, Table, View } from '../components/ui';
import { day, kickoff, money, pct } from '../format';
import { useApi } from '../hooks';

interface Bet {
  id: number;
  homeTeam: string;
  awayTeam: string;
  kickoffAt: string;
  market: string;
  line: number;
  selection: string;
  price: number;
  stake: Money;
  bookmaker: string | null;
  status: 'open' | 'settled';
  outcome: string | null;
  profit: Money | null;
  closingLineValue: number | null;
  homeGoals: number | null;
  awayGoals: number | null;
}
interface Stats {
  openBets: number;
  openStakes: Money;
  settledBets: number;
  won: number;
  lost: number;
  profit: Money;
  yield: number | null;
  roi: number | null;
  closingLineValue: number | null;
  closingLineBets: number;
}
interface History {
  bankroll: Money;
  entries: { id: number; at: string; asOf: string; kind: string; balance: Money }[];
}

/** Open and settled bets, the bankroll curve, ROI and closing-line value. */
export function BetsPage() {
  const [status, setStatus] = useState<'' | 'open' | 'settled'>('');
  const bets = useApi<{ bets: Bet[] }>(`/betting/bets${qs({ status: status || undefined })}`);
  const stats = useApi<Stats>('/betting/stats');
  const history = useApi<History>('/betting/bankroll-history');
  const signed = (x: number | null) => (x === null ? '—' : `${x >= 0 ? '+' : ''}${pct(x, 1)}`);
  return (
    <div className="page">
      <header className="page-head">
        <div>
          <h1>My bets</h1>
          <p className="muted">Bets settle automatically once their match’s result is known.</p>
        </div>
      </header>
      <View loaded={stats}>
        {(s) => (
          <div className="stats-row">
            <Stat label="Profit" value={money(s.profit)} tone={s.profit.minorUnits >= 0 ? 'good' : 'bad'} />
            <Stat label="ROI" value={signed(s.roi)} />
            <Stat label="Yield" value={signed(s.yield)} />
            <Stat label={`CLV (${s.closingLineBets} bets)`} value={signed(s.closingLineValue)} />
            <Stat label="Open" value={`${s.openBets} · ${money(s.openStakes)}`} />
            <Stat label="Won / lost" value={`${s.won} / ${s.lost}`} />
          </div>
        )}
      </View>
      <Card title="Bankroll">
        <View loaded={history} empty={(h) => h.entries.length === 0 && 'No bankroll history yet.'}>
          {(h) => (
            <LineChart
              title="Bankroll after each stake and return"
              step
              series={[{ name: `Bankroll (${h.bankroll.currency})`, className: 's-home', points: h.entries.map((e, i) => ({ x: i, y: e.balance.minorUnits / 100 })) }]}
              formatX={(i) => (h.entries[Math.round(i)] ? day(h.entries[Math.round(i)]!.asOf) : '')}
              formatY={(y) => y.toFixed(0)}
            />
          )}
        </View>
      </Card>
      <Card
        title="Bets"
        actions={
          <div className="button-group" role="group" aria-label="Filter bets">
            {(['', 'open', 'settled'] as const).map((s) => (
              <button key={s || 'all'} type="button" aria-pressed={status === s} onClick={() => setStatus(s)}>
                {s || 'all'}
              </button>
            ))}
          </div>
        }
      >
        <View loaded={bets} empty={(d) => d.bets.length === 0 && 'No bets yet. Record one from the value bets on the Fixtures page.'}>
          {(d) => (
            <Table columns={['Match', 'Pick', 'Price', 'Stake', 'Status', 'Profit', 'CLV']}>
              {d.bets.map((b) => (
                <tr key={b.id} data-testid="bet-row">
                  <td>
                    {b.homeTeam} v {b.awayTeam}
                    <div className="muted small">
                      {kickoff(b.kickoffAt, false)}
                      {b.homeGoals !== null ? ` · ${b.homeGoals}–${b.awayGoals}` : ''}
                    </div>
                  </td>
                  <td>
                    {b.market} {b.selection}
                    {b.market !== '1x2' ? ` ${b.line}` : ''}
                  </td>
                  <td>
                    {b.price.toFixed(2)}
                    {b.bookmaker && <div className="muted small">{b.bookmaker}</div>}
                  </td>
                  <td>{money(b.stake)}</td>
                  <td>
                    <StatusBadge status={b.outcome ?? b.status} />
                  </td>
                  <td className={b.profit && b.profit.minorUnits < 0 ? 'neg' : 'pos'}>{b.profit ? money(b.profit) : '—'}</td>
                  <td>{b.closingLineValue === null ? '—' : signed(b.closingLineValue)}</td>
                </tr>
              ))}
            </Table>
          )}
        </View>
      </Card>
    </div>
  );
}
