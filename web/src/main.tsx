import { StrictMode, useEffect, useState, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { api, type Role } from './api';
import { Loading } from './components/ui';
import { useSession } from './hooks';
import { AccountPage } from './pages/account';
import { AdminUsersPage, SystemPage } from './pages/admin';
import { LoginPage, SignupPage } from './pages/auth';
import { BetsPage } from './pages/bets';
import { FixturesPage } from './pages/fixtures';
import { LiveListPage, LiveMatchPage } from './pages/live';
import { ModelPage, ModelsPage } from './pages/models';
import { NbaPage } from './pages/nba';
import { PipelinesPage, RunPage } from './pages/pipelines';
import { PredictPage } from './pages/predict';
import { Link, navigate, useRoute } from './router';
import './styles.css';

const NAV: { to: string; label: string; role: Role }[] = [
  { to: '/', label: 'Fixtures', role: 'free' },
  { to: '/predict', label: 'Predictor', role: 'premium' },
  { to: '/live', label: 'Live', role: 'free' },
  { to: '/bets', label: 'My bets', role: 'free' },
  { to: '/nba', label: 'NBA', role: 'free' },
  { to: '/models', label: 'Models', role: 'free' },
  { to: '/pipelines', label: 'Pipelines', role: 'premium' },
  { to: '/admin/users', label: 'Users', role: 'admin' },
  { to: '/system', label: 'System', role: 'admin' },
];
const RANK: Record<Role, number> = { free: 0, premium: 1, admin: 2 };

function page(path: string): ReactNode {
  const [, first = '', second, third] = path.split('/');
  switch (first) {
    case '':
      return <FixturesPage />;
    case 'predict':
      return <PredictPage />;
    case 'live':
      return second ? <LiveMatchPage matchId={decodeURIComponent(second)} /> : <LiveListPage />;
    case 'bets':
      return <BetsPage />;
    case 'nba':
      return <NbaPage />;
    case 'models':
      return second ? <ModelPage name={decodeURIComponent(second)} /> : <ModelsPage />;
    case 'pipelines':
      return second === 'runs' && third ? <RunPage runId={decodeURIComponent(third)} /> : <PipelinesPage />;
    case 'account':
      return <AccountPage />;
    case 'admin':
      return <AdminUsersPage />;
    case 'system':
      return <SystemPage />;
    default:
      return (
        <div className="page">
          <h1>Page not found</h1>
          <p>
            <Link to="/">Back to the fixtures</Link>
          </p>
        </div>
      );
  }
}

function App() {
  const session = useSession();
  const { path } = useRoute();
  const [resumed, setResumed] = useState(false);
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => {
    void api.resume().finally(() => setResumed(true));
  }, []);
  useEffect(() => setMenuOpen(false), [path]);
  useEffect(() => {
    const title = NAV.find((n) => n.to !== '/' && path.startsWith(n.to))?.label ?? (path === '/' ? 'Fixtures' : '');
    document.title = title ? `${title} · Tipster` : 'Tipster';
  }, [path]);

  const publicPage = path === '/login' || path === '/signup';
  useEffect(() => {
    if (!resumed) return;
    if (!session && !publicPage) navigate('/login');
    if (session && publicPage) navigate('/');
  }, [resumed, session, publicPage]);

  let content: ReactNode;
  if (!resumed) content = <Loading label="Starting…" />;
  else if (path === '/login') content = <LoginPage />;
  else if (path === '/signup') content = <SignupPage />;
  else if (!session) content = <Loading label="Redirecting to sign in…" />;
  else content = page(path);

  const role = session?.user.role;
  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand" aria-label="Tipster home">
          <span className="brand-mark" aria-hidden="true">
            ◆
          </span>{' '}
          Tipster
        </Link>
        {session && (
          <button type="button" className="menu-toggle" aria-expanded={menuOpen} aria-controls="main-nav" onClick={() => setMenuOpen((o) => !o)}>
            Menu
          </button>
        )}
        {session && (
          <nav id="main-nav" className={`nav ${menuOpen ? 'open' : ''}`} aria-label="Main">
            {NAV.filter((n) => role && RANK[role] >= RANK[n.role]).map((n) => {
              const current = n.to === '/' ? path === '/' : path.startsWith(n.to);
              return (
                <Link key={n.to} to={n.to} aria-current={current ? 'page' : undefined} className={current ? 'active' : ''}>
                  {n.label}
                </Link>
              );
            })}
          </nav>
        )}
        {session && (
          <div className="user-menu">
            <Link to="/account" className="user-link" aria-label={`My account (${session.user.username})`}>
              <span className="avatar" aria-hidden="true">
                {session.user.username.slice(0, 1).toUpperCase()}
              </span>
              <span className="user-name">
                {session.user.username} <span className={`role role-${session.user.role}`}>{session.user.role}</span>
              </span>
            </Link>
            <button
              type="button"
              className="ghost"
              onClick={() => {
                void api.logOut().then(() => navigate('/login'));
              }}
            >
              Log out
            </button>
          </div>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {content}
      </main>
      <footer className="footer">
        <p>
          Data: football results and odds from <a href="https://www.football-data.co.uk/">football-data.co.uk</a> · NBA shot charts from NBA.com via{' '}
          <a href="https://github.com/DomSamangy/NBA_Shots_04_24">DomSamangy/NBA_Shots_04_24</a> · match events from{' '}
          <a href="https://github.com/statsbomb/open-data">StatsBomb open data</a>.
        </p>
        <p className="muted">
          Probabilities are model estimates, not advice. <a href="/docs">API docs</a>
        </p>
      </footer>
    </div>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
