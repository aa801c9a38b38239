import { useState } from 'react';
import { api, qs, type Role, type User } from '../api';
import { Badge, Card, FieldError, Table, View } from '../components/ui';
import { duration, money, when } from '../format';
import { useAction, useApi, useSession } from '../hooks';

/** Users and roles (admins). */
export function AdminUsersPage() {
  const me = useSession()?.user;
  const [filter, setFilter] = useState('');
  const users = useApi<{ users: User[]; nextPageToken: string | null }>(`/admin/users${qs({ username: filter || undefined, limit: 100 })}`);
  const update = useAction((id: number, patch: { role?: Role; disabled?: boolean }) => api.patch<User>(`/admin/users/${id}`, { ...patch, reason: 'changed from the dashboard' }));
  return (
    <div className="page">
      <header className="page-head">
        <div>
          <h1>Users and roles</h1>
          <p className="muted">Every change is audited with who made it and why.</p>
        </div>
        <div className="controls">
          <label>
            Find
            <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="username" />
          </label>
        </div>
      </header>
      <FieldError error={update.error} />
      <Card>
        <View loaded={users} empty={(d) => d.users.length === 0 && 'No users match.'}>
          {(d) => (
            <Table columns={['User', 'Role', 'Bankroll', 'Risk', 'Status', 'Since']}>
              {d.users.map((u) => (
                <tr key={u.id} data-testid="user-row">
                  <th scope="row">
                    {u.username}
                    {u.id === me?.id && <Badge>you</Badge>}
                  </th>
                  <td>
                    <label className="sr-only" htmlFor={`role-${u.id}`}>
                      Role of {u.username}
                    </label>
                    <select
                      id={`role-${u.id}`}
                      value={u.role}
                      disabled={update.busy}
                      onChange={async (e) => {
                        if (await update.run(u.id, { role: e.target.value as Role })) users.reload();
                      }}
                    >
                      <option value="free">free</option>
                      <option value="premium">premium</option>
                      <option value="admin">admin</option>
                    </select>
                  </td>
                  <td>{money(u.bankroll)}</td>
                  <td>{u.riskLevel}</td>
                  <td>
                    <button
                      type="button"
                      onClick={async () => {
                        if (await update.run(u.id, { disabled: !u.disabled })) users.reload();
                      }}
                      disabled={update.busy || u.id === me?.id}
                    >
                      {u.disabled ? 'Enable' : 'Disable'}
                    </button>
                  </td>
                  <td>{when(u.createdAt)}</td>
                </tr>
              ))}
            </Table>
          )}
        </View>
      </Card>
    </div>
  );
}

type Section = Record<string, unknown> & { ok?: boolean };

/** Health of every part of the system, from /api/v1/status. */
export function SystemPage() {
  const status = useApi<Record<string, unknown> & { version: string; startedAt: string; uptimeSeconds: number; store: Section }>('/status', 10_000);
  const ready = useApi<unknown>('/../../readyz', 10_000);
  return (
    <div className="page">
      <header className="page-head">
        <div>
          <h1>System health</h1>
          <p className="muted">Store, bus, scheduler, workers and loaded models, refreshed every 10 seconds.</p>
        </div>
      </header>
      <View loaded={status}>
        {(s) => {
          const sections = Object.entries(s).filter(([k, v]) => typeof v === 'object' && v !== null && !['version', 'startedAt', 'uptimeSeconds'].includes(k)) as [string, Section][];
          return (
            <>
              <div className="stats-row">
                <div className="stat">
                  <div className="stat-value">{s.version}</div>
                  <div className="stat-label">version</div>
                </div>
                <div className="stat">
                  <div className="stat-value">{duration(s.uptimeSeconds * 1000)}</div>
                  <div className="stat-label">uptime (since {when(s.startedAt)})</div>
                </div>
                <div className="stat">
                  <div className="stat-value">{ready.error ? <Badge tone="bad">not ready</Badge> : ready.data !== undefined ? <Badge tone="good">ready</Badge> : '…'}</div>
                  <div className="stat-label">/readyz</div>
                </div>
              </div>
              <div className="health-grid">
                {sections.map(([name, section]) => (
                  <Card key={name} title={name} actions={section.ok === undefined ? undefined : <Badge tone={section.ok ? 'good' : 'bad'}>{section.ok ? 'ok' : 'problem'}</Badge>}>
                    <SectionView value={section} />
                  </Card>
                ))}
              </div>
            </>
          );
        }}
      </View>
    </div>
  );
}

function SectionView({ value }: { value: unknown }) {
  if (Array.isArray(value)) {
    if (value.length === 0) return <span className="muted">none</span>;
    return (
      <ul className="section-list">
        {value.slice(0, 12).map((v, i) => (
          <li key={i}>
            <SectionView value={v} />
          </li>
        ))}
      </ul>
    );
  }
  if (typeof value === 'object' && value !== null) {
    return (
      <dl className="kv">
        {Object.entries(value)
          .filter(([k]) => k !== 'ok')
          .map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>
                <SectionView value={v} />
              </dd>
            </div>
          ))}
      </dl>
    );
  }
  return <span>{value === null ? '—' : String(value)}</span>;
}
