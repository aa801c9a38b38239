import { useEffect, useState } from 'react';
import { api } from '../api';
import { LineChart } from '../components/charts';
import { Badge, Card, ErrorState, FieldError, Loading, Table, View } from '../components/ui';
import { num, when } from '../format';
import { useAction, useApi, useSession } from '../hooks';
import { Link } from '../router';

interface ModelSummary {
  name: string;
  task: string;
  description: string | null;
  primaryMetric: string;
  higherIsBetter: boolean;
  latestVersion: number | null;
  aliases: Record<string, number>;
  production: { version: number; metrics: Record<string, number> } | null;
}
interface Version {
  version: number;
  runId: string;
  createdAt: string;
  tags: Record<string, string>;
  aliases: string[];
  metrics: Record<string, number>;
  hasReport: boolean;
}
interface ModelDetail {
  model: ModelSummary;
  versions: Version[];
  aliasHistory: { alias: string; fromVersion: number | null; toVersion: number | null; actor: string; reason: string; at: string }[];
}
interface VersionDetail {
  run: { histories: Record<string, { step: number; value: number }[]>; params: Record<string, string> } | null;
}

const SHOWN_METRICS = ['rps', 'benchmark_rps', 'log_loss', 'brier', 'accuracy', 'ece', 'auc', 'matches', 'shots'];

/** Every registered model with its production version and primary metric. */
export function ModelsPage() {
  const models = useApi<{ models: ModelSummary[] }>('/models');
  return (
    <div className="page">
      <header className="page-head">
        <div>
          <h1>Models</h1>
          <p className="muted">Every registered model, its versions and where its aliases point. Promotions happen only when a version is really better.</p>
        </div>
      </header>
      <View loaded={models} empty={(d) => d.models.length === 0 && 'No models registered yet: the first pipeline run registers them.'}>
        {(d) => (
          <Table columns={['Model', 'Task', 'Production', 'Latest', 'Primary metric']} wrapperClassName="card">
            {d.models.map((m) => (
              <tr key={m.name} data-testid="model-row">
                <th scope="row">
                  <Link to={`/models/${encodeURIComponent(m.name)}`}>{m.name}</Link>
                </th>
                <td>{m.task}</td>
                <td>{m.production ? <Badge tone="good">{`v${m.production.version}`}</Badge> : <Badge>none</Badge>}</td>
                <td>{m.latestVersion === null ? '—' : `v${m.latestVersion}`}</td>
                <td>
                  {m.primaryMetric} {m.production?.metrics[m.primaryMetric] !== undefined ? num(m.production.metrics[m.primaryMetric]!, 4) : ''}
                  <span className="muted small"> ({m.higherIsBetter ? 'higher' : 'lower'} is better)</span>
                </td>
              </tr>
            ))}
          </Table>
        )}
      </View>
    </div>
  );
}

/** One model: versions with metrics and tags, alias history, charts and the stored backtest report; admins move aliases. */
export function ModelPage({ name }: { name: string }) {
  const session = useSession();
  const admin = session?.user.role === 'admin';
  const model = useApi<ModelDetail>(`/models/${encodeURIComponent(name)}`);
  const [selected, setSelected] = useState<number | null>(null);
  const version = selected ?? model.data?.model.aliases.production ?? model.data?.versions[0]?.version ?? null;
  const detail = useApi<VersionDetail>(version === null ? null : `/models/${encodeURIComponent(name)}/versions/${version}`);
  const [notice, setNotice] = useState<string | null>(null);
  const promote = useAction((v: number) => api.post(`/models/${encodeURIComponent(name)}/promote`, { version: v, reason: `promoted from the dashboard by ${session?.user.username ?? 'admin'}` }));
  const rollback = useAction(() => api.post<{ version: number }>(`/models/${encodeURIComponent(name)}/rollback`, {}));

  if (!model.data) return <div className="page">{model.error ? <ErrorState error={model.error} retry={model.reload} /> : <Loading />}</div>;
  const d = model.data;
  const current = d.versions.find((v) => v.version === version);
  const metricKeys = SHOWN_METRICS.filter((k) => d.versions.some((v) => k in v.metrics));
  return (
    <div className="page">
      <p>
        <Link to="/models">← Models</Link>
      </p>
      <header className="page-head">
        <div>
          <h1>{d.model.name}</h1>
          <p className="muted">
            {d.model.description ?? d.model.task} · primary metric {d.model.primaryMetric} ({d.model.higherIsBetter ? 'higher' : 'lower'} is better)
          </p>
        </div>
        {admin && (
          <div className="controls">
            <button
              type="button"
              onClick={async () => {
                const back = await rollback.run();
                if (back) {
                  setNotice(`production rolled back to v${back.version}`);
                  model.reload();
                }
              }}
              disabled={rollback.busy}
            >
              Roll back production
            </button>
          </div>
        )}
      </header>
      {notice && (
        <p className="ok" role="status">
          {notice}
        </p>
      )}
      <FieldError error={promote.error ?? rollback.error} />
      <Card title="Versions">
        <Table columns={['Version', 'Aliases', ...metricKeys, 'Tags', 'Created', admin && 'Admin']}>
          {d.versions.map((v) => (
            <tr key={v.version} className={v.version === version ? 'selected' : ''} data-testid="version-row">
              <th scope="row">
                <button type="button" className="link" onClick={() => setSelected(v.version)} aria-pressed={v.version === version}>
                  v{v.version}
                </button>
              </th>
              <td>{v.aliases.length ? v.aliases.map((a) => <Badge key={a} tone={a === 'production' ? 'good' : 'info'}>{a}</Badge>) : '—'}</td>
              {metricKeys.map((k) => (
                <td key={k}>{v.metrics[k] === undefined ? '—' : Number.isInteger(v.metrics[k]) ? v.metrics[k] : num(v.metrics[k]!, 4)}</td>
              ))}
              <td className="tags">
                {Object.entries(v.tags)
                  .filter(([k]) => k !== 'promotion_reason')
                  .map(([k, val]) => (
                    <span key={k} className="tag">
                      {k}={val}
                    </span>
                  ))}
                {v.tags.promotion_reason && <div className="muted small">{v.tags.promotion_reason}</div>}
              </td>
              <td>{when(v.createdAt)}</td>
              {admin && (
                <td>
                  {!v.aliases.includes('production') && (
                    <button
                      type="button"
                      onClick={async () => {
                        if (await promote.run(v.version)) {
                          setNotice(`v${v.version} is now production`);
                          model.reload();
                        }
                      }}
                      disabled={promote.busy}
                    >
                      Promote v{v.version}
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </Table>
      </Card>
      <div className="grid-2">
        <Card title={`v${version ?? '—'}: RPS by season`}>
          <View loaded={detail} empty={(x) => !x.run?.histories.season_rps && 'This version logged no per-season history.'}>
            {(x) => (
              <LineChart
                title="RPS per season (lower is better)"
                series={[{ name: 'RPS', className: 's-home', points: (x.run?.histories.season_rps ?? []).map((p) => ({ x: p.step, y: p.value })) }, ...(current?.metrics.benchmark_rps !== undefined ? [{ name: 'market benchmark (window)', className: 's-away', dashed: true, points: (x.run?.histories.season_rps ?? []).map((p) => ({ x: p.step, y: current.metrics.benchmark_rps! })) }] : [])]}
                formatX={(x) => `${x}/${String((x + 1) % 100).padStart(2, '0')}`}
                formatY={(y) => y.toFixed(3)}
              />
            )}
          </View>
        </Card>
        <Card title="Alias history">
          {d.aliasHistory.length === 0 ? (
            <p className="muted">No alias moves yet.</p>
          ) : (
            <ol className="history">
              {d.aliasHistory.map((e, i) => (
                <li key={i}>
                  <b>{e.alias}</b> {e.fromVersion === null ? '' : `v${e.fromVersion} → `}v{e.toVersion} <span className="muted">by {e.actor}, {when(e.at)}</span>
                  <div className="small">{e.reason}</div>
                </li>
              ))}
            </ol>
          )}
        </Card>
      </div>
      {current?.hasReport && <BacktestReport name={name} version={current.version} />}
    </div>
  );
}

/** The stored HTML report (cumulative RPS against the market, calibration) in a sandboxed frame. */
function BacktestReport({ name, version }: { name: string; version: number }) {
  const [html, setHtml] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  useEffect(() => {
    setHtml(null);
    api.request<string>('GET', `/models/${encodeURIComponent(name)}/versions/${version}/report`, undefined, { accept: 'text/html' }).then(setHtml, setError);
  }, [name, version]);
  return (
    <Card title={`Backtest report of v${version}`}>
      {error ? <p className="state state-error">{error.message}</p> : html === null ? <Loading /> : <iframe className="report" title={`Backtest report of ${name} v${version}`} sandbox="" srcDoc={html} />}
    </Card>
  );
}
