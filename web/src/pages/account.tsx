import { useState, type FormEvent } from 'react';
import { api, type RiskLevel, type User } from '../api';
import { Card, FieldError, Stat } from '../components/ui';
import { money, when } from '../format';
import { useAction, useSession } from '../hooks';

/** The caller's profile: bankroll, risk level and password. */
export function AccountPage() {
  const session = useSession();
  const user = session?.user;
  const [amount, setAmount] = useState(user?.bankroll.amount ?? '');
  const [risk, setRisk] = useState<RiskLevel>(user?.riskLevel ?? 'medium');
  const [saved, setSaved] = useState<string | null>(null);
  const save = useAction(() => api.patch<User>('/me', { bankroll: { amount }, riskLevel: risk }));
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const change = useAction(() => api.post<{ endedSessions: number }>('/me/password', { currentPassword: current, newPassword: next }));
  if (!user) return null;
  return (
    <div className="page">
      <header className="page-head">
        <div>
          <h1>My account</h1>
          <p className="muted">
            {user.username} · {user.role} · member since {when(user.createdAt)}
          </p>
        </div>
      </header>
      <div className="stats-row">
        <Stat label="Bankroll" value={money(user.bankroll)} />
        <Stat label="Risk level" value={user.riskLevel} />
        <Stat label="Plan" value={user.role} />
      </div>
      <div className="grid-2">
        <Card title="Bankroll and risk">
          <form
            className="form-grid"
            onSubmit={async (e: FormEvent) => {
              e.preventDefault();
              const updated = await save.run();
              if (updated) {
                api.setUser(updated);
                setSaved('Saved.');
              }
            }}
          >
            <label>
              Bankroll ({user.bankroll.currency})
              <input inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} pattern="^(0|[1-9][0-9]{0,11})(\.[0-9]{1,4})?$" required />
            </label>
            <label>
              Risk level
              <select value={risk} onChange={(e) => setRisk(e.target.value as RiskLevel)}>
                <option value="low">low (0.1 × Kelly)</option>
                <option value="medium">medium (0.25 × Kelly)</option>
                <option value="high">high (0.5 × Kelly)</option>
              </select>
            </label>
            <button type="submit" className="primary" disabled={save.busy}>
              Save
            </button>
          </form>
          <FieldError error={save.error} />
          {saved && (
            <p className="ok" role="status">
              {saved}
            </p>
          )}
        </Card>
        <Card title="Password">
          <form
            className="form-grid"
            onSubmit={async (e: FormEvent) => {
              e.preventDefault();
              const r = await change.run();
              if (r) {
                setCurrent('');
                setNext('');
                setSaved(`Password changed; ${r.endedSessions} other session(s) signed out.`);
              }
            }}
          >
            <label>
              Current password
              <input type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} required />
            </label>
            <label>
              New password
              <input type="password" autoComplete="new-password" minLength={12} value={next} onChange={(e) => setNext(e.target.value)} required />
            </label>
            <button type="submit" disabled={change.busy}>
              Change password
            </button>
          </form>
          <FieldError error={change.error} />
        </Card>
      </div>
    </div>
  );
}
