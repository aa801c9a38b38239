import { useState, type FormEvent } from 'react';
import { api, type RiskLevel } from '../api';
import { FieldError } from '../components/ui';
import { useAction } from '../hooks';
import { Link, navigate } from '../router';

export function LoginPage() {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const login = useAction(() => api.logIn(username, password));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await login.run()) navigate('/');
  };
  return (
    <div className="auth-page">
      <form className="card auth-card" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">Sign in</h1>
        <label>
          Username
          <input name="username" autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <FieldError error={login.error} />
        <button type="submit" className="primary" disabled={login.busy}>
          {login.busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="muted">
          New here? <Link to="/signup">Create an account</Link>
        </p>
      </form>
    </div>
  );
}

export function SignupPage() {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [amount, setAmount] = useState('1000.00');
  const [currency, setCurrency] = useState('EUR');
  const [riskLevel, setRisk] = useState<RiskLevel>('medium');
  const signup = useAction(() => api.signUp({ username, password, bankroll: { amount, currency }, riskLevel }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await signup.run()) navigate('/');
  };
  return (
    <div className="auth-page">
      <form className="card auth-card" onSubmit={submit} aria-labelledby="signup-title">
        <h1 id="signup-title">Create your account</h1>
        <label>
          Username
          <input name="username" autoComplete="username" required minLength={3} maxLength={32} value={username} onChange={(e) => setUsername(e.target.value)} />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="new-password" required minLength={12} value={password} onChange={(e) => setPassword(e.target.value)} aria-describedby="pw-help" />
          <small id="pw-help" className="muted">
            At least 12 characters; a passphrase of a few unrelated words works well.
          </small>
        </label>
        <div className="row">
          <label>
            Starting bankroll
            <input name="bankroll" inputMode="decimal" required pattern="^(0|[1-9][0-9]{0,11})(\.[0-9]{1,4})?$" value={amount} onChange={(e) => setAmount(e.target.value)} />
          </label>
          <label>
            Currency
            <select name="currency" value={currency} onChange={(e) => setCurrency(e.target.value)}>
              {['EUR', 'GBP', 'USD'].map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </label>
        </div>
        <fieldset>
          <legend>Risk level (how boldly stakes are sized)</legend>
          {(['low', 'medium', 'high'] as const).map((r) => (
            <label key={r} className="radio">
              <input type="radio" name="risk" value={r} checked={riskLevel === r} onChange={() => setRisk(r)} /> {r}
            </label>
          ))}
        </fieldset>
        <FieldError error={signup.error} />
        <button type="submit" className="primary" disabled={signup.busy}>
          {signup.busy ? 'Creating…' : 'Create account'}
        </button>
        <p className="muted">
          Already registered? <Link to="/login">Sign in</Link>
        </p>
      </form>
    </div>
  );
}
