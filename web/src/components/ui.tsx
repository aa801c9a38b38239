import type { ReactNode } from 'react';
import type { ApiError } from '../api';
import type { Loaded } from '../hooks';
import { pct } from '../format';

/** A titled panel. */
export function Card({ title, actions, children, className = '' }: { title?: ReactNode; actions?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <section className={`card ${className}`}>
      {(title !== undefined || actions !== undefined) && (
        <header className="card-head">
          {title !== undefined && <h2>{title}</h2>}
          {actions !== undefined && <div className="card-actions">{actions}</div>}
        </header>
      )}
      {children}
    </section>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {label}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="state state-empty">{children}</div>;
}

/** An API problem in words, with its hint; 403s say which role is needed. */
export function ErrorState({ error, retry }: { error: ApiError; retry?: () => void }) {
  const forbidden = error.status === 403;
  const missing = error.status === 404 && error.code === 'TIPSTER_ERR_API_NOT_FOUND';
  return (
    <div className={`state ${forbidden ? 'state-locked' : 'state-error'}`} role="alert">
      <strong>{forbidden ? 'Not available with your plan' : missing ? 'Not available on this server yet' : 'Something went wrong'}</strong>
      <p>{error.message}</p>
      {error.hint && <p className="muted">{error.hint}</p>}
      {error.errors.length > 0 && (
        <ul>
          {error.errors.map((e) => (
            <li key={e.field + e.message}>
              {e.field}: {e.message}
            </li>
          ))}
        </ul>
      )}
      {retry && !forbidden && (
        <button type="button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** Draws loading / error / empty / data for one request. */
export function View<T>({ loaded, empty, children }: { loaded: Loaded<T>; empty?: (data: T) => ReactNode | false; children: (data: T) => ReactNode }) {
  if (loaded.data === undefined) {
    if (loaded.error) return <ErrorState error={loaded.error} retry={loaded.reload} />;
    return <Loading />;
  }
  const emptyNode = empty?.(loaded.data);
  return (
    <>
      {loaded.error && <ErrorState error={loaded.error} retry={loaded.reload} />}
      {emptyNode ? <Empty>{emptyNode}</Empty> : children(loaded.data)}
    </>
  );
}

/** Home / draw / away probabilities as one stacked bar. */
export function ProbabilityBar({ home, draw, away, labels = ['Home', 'Draw', 'Away'] }: { home: number; draw: number; away: number; labels?: [string, string, string] }) {
  const parts = [
    { key: 'home', p: home, label: labels[0] },
    { key: 'draw', p: draw, label: labels[1] },
    { key: 'away', p: away, label: labels[2] },
  ];
  return (
    <div className="prob-bar" role="img" aria-label={parts.map((x) => `${x.label} ${pct(x.p)}`).join(', ')}>
      {parts.map((x) => (
        <span key={x.key} className={`prob prob-${x.key}`} style={{ width: `${Math.max(x.p * 100, 0.5)}%` }}>
          {x.p >= 0.12 ? pct(x.p) : ''}
        </span>
      ))}
    </div>
  );
}

export function Badge({ children, tone = 'neutral' }: { children: ReactNode; tone?: 'neutral' | 'good' | 'bad' | 'warn' | 'info' }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

/** A status word coloured by meaning. */
export function StatusBadge({ status }: { status: string }) {
  const tone = ['succeeded', 'won', 'half-won', 'ok', 'live', 'production', 'finished'].includes(status)
    ? 'good'
    : ['failed', 'lost', 'half-lost', 'upstream_failed'].includes(status)
      ? 'bad'
      : ['running', 'queued', 'open', 'pending'].includes(status)
        ? 'info'
        : 'neutral';
  return <Badge tone={tone}>{status.replace('_', ' ')}</Badge>;
}

export function Stat({ label, value, tone }: { label: string; value: ReactNode; tone?: 'good' | 'bad' }) {
  return (
    <div className={`stat ${tone ? `stat-${tone}` : ''}`}>
      <div className="stat-value">{value}</div>
      <div className="stat-label">{label}</div>
    </div>
  );
}

export function FieldError({ error }: { error: ApiError | undefined }) {
  if (!error) return null;
  return (
    <div className="form-error" role="alert">
      {error.message}
      {error.errors.length > 0 && ` (${error.errors.map((e) => `${e.field}: ${e.message}`).join('; ')})`}
    </div>
  );
}

/**
 * A data table that scrolls sideways on narrow screens: a header row of column titles (null or
 * false leaves a column out), then the rows given as children.
 */
export function Table({ columns, wrapperClassName = '', children }: { columns: readonly ReactNode[]; wrapperClassName?: string; children: ReactNode }) {
  return (
    <div className={`table-scroll ${wrapperClassName}`.trim()}>
      <table className="table">
        <thead>
          <tr>
            {columns
              .filter((c) => c !== null && c !== false)
              .map((c, i) => (
                <th scope="col" key={i}>
                  {c}
                </th>
              ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
