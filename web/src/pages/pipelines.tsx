import { useState } from 'react';
import { api } from '../api';
import { Dag } from '../components/dag';
import { Card, ErrorState, FieldError, Loading, StatusBadge, Table, View } from '../components/ui';
import { duration, when } from '../format';
import { useAction, useApi, useSession } from '../hooks';
import { Link, navigate } from '../router';

interface RunSummary {
  id: string;
  pipeline: string;
  status: string;
  trigger: string;
  createdAt: string;
  startedAt: string | null;
  durationMs: number | null;
  error: string | null;
}
interface PipelineEntry {
  name: string;
  description: string;
  tasks: { name: string; dependsOn: string[]; retries: number; timeoutMs: number | null }[];
  schedule: { cron: string; timezone: string; nextFireAt: string | null } | null;
  lastRun: RunSummary | null;
  lastDecision: { scheduledAt: string; decision: string; reason: string } | null;
}
interface RunDetail extends RunSummary {
  params: Record<string, unknown>;
  finishedAt: string | null;
  tasks: { task: string; status: string; attempt: number; durationMs: number | null; error: string | null; logs: { attempt: number; seq: number; at: string; level: string; message: string }[] }[];
}

/** The pipelines with their DAGs and schedules, and the run history (polled while runs are active). */
export function PipelinesPage() {
  const session = useSession();
  const admin = session?.user.role === 'admin';
  const catalogue = useApi<{ pipelines: PipelineEntry[] }>('/pipelines', 5000);
  const runs = useApi<{ runs: RunSummary[] }>('/pipelines/runs?limit=25', 3000);
  const trigger = useAction((name: string) => api.post<{ runId: string }>(`/pipelines/${encodeURIComponent(name)}/runs`, {}));
  return (
    <div className="page">
      <header className="page-head">
        <div>
          <h1>Pipelines</h1>
          <p className="muted">Each pipeline is a DAG of tasks with retries and timeouts, run on its schedule or on demand.</p>
        </div>
      </header>
      <FieldError error={trigger.error} />
      <View loaded={catalogue} empty={(d) => d.pipelines.length === 0 && 'No pipelines.'}>
        {(d) => (
          <div className="stack">
            {d.pipelines.map((p) => (
              <Card
                key={p.name}
                title={p.name}
                actions={
                  admin && (
                    <button
                      type="button"
                      className="primary"
                      disabled={trigger.busy || p.lastRun?.status === 'running' || p.lastRun?.status === 'queued'}
                      onClick={async () => {
                        const started = await trigger.run(p.name);
                        if (started) navigate(`/pipelines/runs/${started.runId}`);
                      }}
                    >
                      Run {p.name} now
                    </button>
                  )
                }
              >
                <p className="muted">{p.description}</p>
                <Dag tasks={p.tasks} />
                <dl className="facts">
                  <div>
                    <dt>Schedule</dt>
                    <dd>{p.schedule ? `${p.schedule.cron} (${p.schedule.timezone})` : 'on demand'}</dd>
                  </div>
                  <div>
                    <dt>Next run</dt>
                    <dd>{p.schedule?.nextFireAt ? when(p.schedule.nextFireAt) : '—'}</dd>
                  </div>
                  <div>
                    <dt>Last run</dt>
                    <dd>
                      {p.lastRun ? (
                        <Link to={`/pipelines/runs/${p.lastRun.id}`}>
                          <StatusBadge status={p.lastRun.status} /> {when(p.lastRun.createdAt)}
                        </Link>
                      ) : (
                        'never'
                      )}
                    </dd>
                  </div>
                  {p.lastDecision && (
                    <div>
                      <dt>Scheduler</dt>
                      <dd>
                        {p.lastDecision.decision.replace('_', ' ')}: {p.lastDecision.reason}
                      </dd>
                    </div>
                  )}
                </dl>
              </Card>
            ))}
          </div>
        )}
      </View>
      <Card title="Recent runs">
        <View loaded={runs} empty={(d) => d.runs.length === 0 && 'No runs yet.'}>
          {(d) => (
            <Table columns={['Pipeline', 'Status', 'Trigger', 'Started', 'Duration']}>
              {d.runs.map((r) => (
                <tr key={r.id}>
                  <th scope="row">
                    <Link to={`/pipelines/runs/${r.id}`}>{r.pipeline}</Link>
                  </th>
                  <td>
                    <StatusBadge status={r.status} />
                  </td>
                  <td>{r.trigger}</td>
                  <td>{when(r.startedAt ?? r.createdAt)}</td>
                  <td>{duration(r.durationMs)}</td>
                </tr>
              ))}
            </Table>
          )}
        </View>
      </Card>
    </div>
  );
}

/** One run: DAG coloured by task state, durations and logs; polled every second until it finishes. */
export function RunPage({ runId }: { runId: string }) {
  const [active, setActive] = useState(true);
  const run = useApi<RunDetail>(`/pipelines/runs/${encodeURIComponent(runId)}`, active ? 1000 : undefined);
  const catalogue = useApi<{ pipelines: PipelineEntry[] }>('/pipelines');
  const [open, setOpen] = useState<string | null>(null);
  if (run.data && active && (run.data.status === 'succeeded' || run.data.status === 'failed')) setActive(false);
  if (!run.data) return <div className="page">{run.error ? <ErrorState error={run.error} retry={run.reload} /> : <Loading />}</div>;
  const r = run.data;
  const dag = catalogue.data?.pipelines.find((p) => p.name === r.pipeline)?.tasks ?? r.tasks.map((t) => ({ name: t.task, dependsOn: [] }));
  const states = Object.fromEntries(r.tasks.map((t) => [t.task, { status: t.status, durationMs: t.durationMs }]));
  return (
    <div className="page">
      <p>
        <Link to="/pipelines">← Pipelines</Link>
      </p>
      <header className="page-head">
        <div>
          <h1>
            {r.pipeline} <StatusBadge status={r.status} />
          </h1>
          <p className="muted">
            Run {r.id} · {r.trigger} · started {when(r.startedAt)} · {r.durationMs === null ? (active ? 'running…' : '—') : duration(r.durationMs)}
          </p>
        </div>
      </header>
      {r.error && <p className="state state-error">{r.error}</p>}
      <Card title="Tasks">
        <Dag tasks={dag} states={states} />
        <ul className="task-list">
          {r.tasks.map((t) => (
            <li key={t.task} data-testid="task" data-status={t.status}>
              <button type="button" className="task-toggle" aria-expanded={open === t.task} onClick={() => setOpen(open === t.task ? null : t.task)}>
                <StatusBadge status={t.status} /> <b>{t.task}</b> <span className="muted">{duration(t.durationMs)}{t.attempt > 1 ? ` · attempt ${t.attempt}` : ''} · {t.logs.length} log lines</span>
              </button>
              {t.error && <div className="state state-error small">{t.error}</div>}
              {open === t.task && (
                <pre className="logs" tabIndex={0} aria-label={`Logs of ${t.task}`}>
                  {t.logs.length === 0 ? 'No log lines.' : t.logs.map((l) => `${l.at.slice(11, 23)} ${l.level.padEnd(5)} ${l.message}`).join('\n')}
                </pre>
              )}
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}
