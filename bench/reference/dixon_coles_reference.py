#!/usr/bin/python3
"""Reference fits for src/football/models/*.test.ts, computed with scipy's L-BFGS-B.

Run with Debian's interpreter (it has scipy):  /usr/bin/python3 bench/reference/dixon_coles_reference.py
Writes src/football/models/fixtures/goal-model-reference.json.

The models, exactly as src/football/models implements them:
  log λ (home goals) = intercept + home + attack[h] + defence[a]
  log μ (away goals) = intercept + attack[a] + defence[h]
with attack and defence each centred (sum to zero), so `defence` is a propensity to concede
(higher = worse) and a team's strength is attack − defence.
Weighted negative log-likelihood, weight exp(−xi · days before asOf) per match:
  NLL = −Σ w [x log λ − λ − log x! + y log μ − μ − log y! + log tau(x, y)]
with Dixon & Coles' tau for Dixon-Coles and tau = 1 for the Poisson model.
Shrinkage of thinly observed teams (weighted match count c < C):
  penalty = κ/2 Σ max(0, 1 − c_i / C) [(attack_i − A)² + (defence_i − D)²]
where (A, D) is first (0, 0) (the league average) and then the mean of the 3 weakest teams with
c ≥ C, refitted until that set of 3 stops changing (at most 3 refits). The same 3 teams' mean
is what an unseen (promoted) team gets.
"""
import csv
import datetime as dt
import hashlib
import json
import pathlib

import numpy as np
import scipy
from scipy.optimize import minimize
from scipy.special import gammaln

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = pathlib.Path('/work/shared/data/football-data/E0')
OUT = ROOT / 'src' / 'football' / 'models' / 'fixtures' / 'goal-model-reference.json'
SEASONS = ['1920', '2021', '2122']
XI = 0.0019
SHRINK_MATCHES = 10.0
SHRINK_PRECISION = 10.0
WEAKEST = 3
MAX_SHRINK_PASSES = 3
MAX_GOALS = 10
TIGHT = {'ftol': 1e-15, 'gtol': 1e-9, 'maxiter': 10000, 'maxfun': 100000}
EPOCH = dt.date(1970, 1, 1)
DAY_MS = 86_400_000


def read_matches():
    matches = []
    files = []
    for season in SEASONS:
        path = DATA / f'{season}.csv'
        raw = path.read_bytes()
        files.append({'file': f'E0/{season}.csv', 'sha256': hashlib.sha256(raw).hexdigest()})
        with path.open(newline='', encoding='utf-8-sig') as handle:
            for row in csv.DictReader(handle):
                if not row.get('HomeTeam'):
                    continue
                day, month, year = (int(part) for part in row['Date'].split('/'))
                matches.append({
                    'date': dt.date(year, month, day),
                    'home': row['HomeTeam'],
                    'away': row['AwayTeam'],
                    'hg': int(row['FTHG']),
                    'ag': int(row['FTAG']),
                })
    return matches, files


class Data:
    """The typed arrays the TypeScript builds once per fit."""

    def __init__(self, matches, as_of, xi):
        window = [m for m in matches if m['date'] < as_of]
        self.teams = sorted({m['home'] for m in window} | {m['away'] for m in window})
        index = {team: i for i, team in enumerate(self.teams)}
        self.n = len(self.teams)
        self.h = np.array([index[m['home']] for m in window])
        self.a = np.array([index[m['away']] for m in window])
        self.x = np.array([m['hg'] for m in window], dtype=float)
        self.y = np.array([m['ag'] for m in window], dtype=float)
        days = np.array([(as_of - m['date']).days for m in window], dtype=float)
        self.w = np.exp(-xi * days)
        self.log_factorials = float(np.sum(self.w * (gammaln(self.x + 1) + gammaln(self.y + 1))))
        self.counts = np.bincount(self.h, self.w, self.n) + np.bincount(self.a, self.w, self.n)
        self.shrink = np.maximum(0.0, 1.0 - self.counts / SHRINK_MATCHES)
        self.matches = len(window)


def nll(data, params, dixon_coles):
    """Weighted NLL and its gradient at natural parameters [attack(n), defence(n), intercept, home, rho?]."""
    n = data.n
    attack, defence = params[:n], params[n:2 * n]
    intercept, home = params[2 * n], params[2 * n + 1]
    eta_h = intercept + home + attack[data.h] + defence[data.a]
    eta_a = intercept + attack[data.a] + defence[data.h]
    lam, mu = np.exp(eta_h), np.exp(eta_a)
    w, x, y = data.w, data.x, data.y
    loglik = np.sum(w * (x * eta_h - lam + y * eta_a - mu)) - data.log_factorials
    dh = w * (x - lam)
    da = w * (y - mu)
    drho = 0.0
    if dixon_coles:
        rho = params[2 * n + 2]
        tau = np.ones_like(lam)
        lam_dtau = np.zeros_like(lam)  # λ ∂tau/∂λ
        mu_dtau = np.zeros_like(lam)   # μ ∂tau/∂μ
        rho_dtau = np.zeros_like(lam)  # ∂tau/∂ρ
        m00 = (x == 0) & (y == 0)
        m01 = (x == 0) & (y == 1)
        m10 = (x == 1) & (y == 0)
        m11 = (x == 1) & (y == 1)
        tau[m00] = 1 - lam[m00] * mu[m00] * rho
        lam_dtau[m00] = -lam[m00] * mu[m00] * rho
        mu_dtau[m00] = -lam[m00] * mu[m00] * rho
        rho_dtau[m00] = -lam[m00] * mu[m00]
        tau[m01] = 1 + lam[m01] * rho
        lam_dtau[m01] = lam[m01] * rho
        rho_dtau[m01] = lam[m01]
        tau[m10] = 1 + mu[m10] * rho
        mu_dtau[m10] = mu[m10] * rho
        rho_dtau[m10] = mu[m10]
        tau[m11] = 1 - rho
        rho_dtau[m11] = -1
        if np.any(tau <= 0):
            return np.inf, np.zeros_like(params)
        loglik += np.sum(w * np.log(tau))
        dh = dh + w * lam_dtau / tau
        da = da + w * mu_dtau / tau
        drho = np.sum(w * rho_dtau / tau)
    grad = np.zeros_like(params)
    grad[:n] = np.bincount(data.h, dh, n) + np.bincount(data.a, da, n)
    grad[n:2 * n] = np.bincount(data.a, dh, n) + np.bincount(data.h, da, n)
    grad[2 * n] = np.sum(dh) + np.sum(da)
    grad[2 * n + 1] = np.sum(dh)
    if dixon_coles:
        grad[2 * n + 2] = drho
    return -loglik, -grad


def penalty(data, params, weakest):
    """κ/2 Σ s_i [(a_i − A)² + (d_i − D)²] and its gradient; (A, D) = mean over `weakest`, or 0 when empty."""
    n = data.n
    attack, defence = params[:n], params[n:2 * n]
    target_a = attack[weakest].mean() if len(weakest) else 0.0
    target_d = defence[weakest].mean() if len(weakest) else 0.0
    ra, rd = attack - target_a, defence - target_d
    k = SHRINK_PRECISION * data.shrink
    value = 0.5 * np.sum(k * (ra * ra + rd * rd))
    grad = np.zeros_like(params)
    grad[:n] = k * ra
    grad[n:2 * n] = k * rd
    if len(weakest):
        grad[weakest] -= np.sum(k * ra) / len(weakest)
        grad[n + np.array(weakest)] -= np.sum(k * rd) / len(weakest)
    return value, grad


def centred(data, theta):
    n = data.n
    params = theta.copy()
    params[:n] -= params[:n].mean()
    params[n:2 * n] -= params[n:2 * n].mean()
    return params


def fit_once(data, theta0, dixon_coles, weakest):
    n = data.n

    def objective(theta):
        params = centred(data, theta)
        f, g = nll(data, params, dixon_coles)
        if not np.isfinite(f):
            return f, g
        pf, pg = penalty(data, params, weakest)
        g = g + pg
        # Chain rule through the centring: subtract each block's mean gradient.
        g[:n] -= g[:n].mean()
        g[n:2 * n] -= g[n:2 * n].mean()
        return f + pf, g

    bounds = [(None, None)] * len(theta0)
    if dixon_coles:
        bounds[-1] = (-0.25, 0.25)  # keeps every tau positive along scipy's path; inactive at the optimum
    result = minimize(objective, theta0, jac=True, method='L-BFGS-B', bounds=bounds, options=TIGHT)
    return centred(data, result.x), result


def weakest_teams(data, params):
    n = data.n
    strength = params[:n] - params[n:2 * n]
    established = [i for i in range(n) if data.counts[i] >= SHRINK_MATCHES] or list(range(n))
    ranked = sorted(established, key=lambda i: (strength[i], i))
    return sorted(ranked[:WEAKEST])


def fit(data, dixon_coles):
    n = data.n
    theta = np.zeros(2 * n + (3 if dixon_coles else 2))
    theta[2 * n] = np.log((np.sum(data.w * data.x) + np.sum(data.w * data.y)) / (2 * np.sum(data.w)))
    theta[2 * n + 1] = np.log(np.sum(data.w * data.x) / np.sum(data.w * data.y))
    passes = 1
    if np.any(data.shrink > 0):
        params, result = fit_once(data, theta, dixon_coles, [])
        weakest = weakest_teams(data, params)
        for attempt in range(MAX_SHRINK_PASSES):
            params, result = fit_once(data, params, dixon_coles, weakest)
            passes += 1
            following = weakest_teams(data, params)
            if following == weakest:
                break
            if attempt < MAX_SHRINK_PASSES - 1:
                weakest = following
    else:
        params, result = fit_once(data, theta, dixon_coles, [])
        weakest = weakest_teams(data, params)
    f, _ = nll(data, params, dixon_coles)
    pf, _ = penalty(data, params, weakest if np.any(data.shrink > 0) else [])
    return params, weakest, {'objective': float(f + pf), 'negativeLogLikelihood': float(f), 'penalty': float(pf),
                              'passes': passes, 'scipyIterations': int(result.nit),
                              'gradientNorm': float(np.max(np.abs(result.jac)))}


def grid_one_x_two(lam, mu, rho):
    goals = np.arange(MAX_GOALS + 1)
    ph = np.exp(goals * np.log(lam) - lam - gammaln(goals + 1))
    pa = np.exp(goals * np.log(mu) - mu - gammaln(goals + 1))
    grid = np.outer(ph, pa)
    grid[0, 0] *= 1 - lam * mu * rho
    grid[0, 1] *= 1 + lam * rho
    grid[1, 0] *= 1 + mu * rho
    grid[1, 1] *= 1 - rho
    grid /= grid.sum()
    return float(np.tril(grid, -1).sum()), float(np.trace(grid)), float(np.triu(grid, 1).sum())


def describe(data, params, weakest, summary, dixon_coles, pairs):
    n = data.n
    attack, defence = params[:n], params[n:2 * n]
    intercept, home = params[2 * n], params[2 * n + 1]
    rho = params[2 * n + 2] if dixon_coles else 0.0
    level_a, level_d = attack[weakest].mean(), defence[weakest].mean()

    def team(name):
        if name in data.teams:
            i = data.teams.index(name)
            return attack[i], defence[i]
        return level_a, level_d

    predictions = []
    for home_team, away_team, neutral in pairs:
        ah, dh = team(home_team)
        aa, da = team(away_team)
        lam = np.exp(intercept + (0 if neutral else home) + ah + da)
        mu = np.exp(intercept + aa + dh)
        h, d, a = grid_one_x_two(lam, mu, rho)
        predictions.append({'home': home_team, 'away': away_team, 'neutral': neutral,
                            'rates': {'home': float(lam), 'away': float(mu)},
                            'oneXTwo': {'home': h, 'draw': d, 'away': a}})
    out = {
        'teams': {name: {'attack': float(attack[i]), 'defence': float(defence[i]),
                         'weightedMatches': float(data.counts[i])} for i, name in enumerate(data.teams)},
        'intercept': float(intercept),
        'homeAdvantage': float(home),
        'weakestTeams': [data.teams[i] for i in weakest],
        'promotedLevel': {'attack': float(level_a), 'defence': float(level_d)},
        'predictions': predictions,
        **summary,
    }
    if dixon_coles:
        out['rho'] = float(rho)
    return out


def fixed_point_checks(data):
    """NLL and gradient at a fixed, deliberately uncentred parameter vector: no optimiser involved."""
    n = data.n
    i = np.arange(n)
    params = np.concatenate([0.3 * np.sin(i + 1.0), 0.2 * np.cos(2.0 * i + 1.0), [0.1, 0.25, -0.08]])
    dc_f, dc_g = nll(data, params, True)
    po_f, po_g = nll(data, params[:-1], False)
    return {
        'parameters': list(map(float, params)),
        'dixonColes': {'negativeLogLikelihood': float(dc_f), 'gradient': list(map(float, dc_g))},
        'poisson': {'negativeLogLikelihood': float(po_f), 'gradient': list(map(float, po_g))},
    }


def scenario(matches, as_of, pairs, models):
    data = Data(matches, as_of, XI)
    out = {'asOf': as_of.isoformat(), 'asOfMs': (as_of - EPOCH).days * DAY_MS, 'matches': data.matches,
           'teams': data.teams}
    for name, dixon_coles in models:
        params, weakest, summary = fit(data, dixon_coles)
        out[name] = describe(data, params, weakest, summary, dixon_coles, pairs)
        print(f"{as_of} {name}: objective {summary['objective']:.10f} penalty {summary['penalty']:.6f} "
              f"passes {summary['passes']} |g| {summary['gradientNorm']:.1e} weakest {out[name]['weakestTeams']}")
    return data, out


def main():
    matches, files = read_matches()
    end_pairs = [('Man City', 'Liverpool', False), ('Arsenal', 'Tottenham', False), ('Norwich', 'Man City', False),
                 ('Liverpool', 'Fulham', False), ("Nott'm Forest", 'Chelsea', False),
                 ('Everton', "Nott'm Forest", False), ('Chelsea', 'Liverpool', True)]
    data, end = scenario(matches, dt.date(2022, 6, 1), end_pairs, [('dixonColes', True), ('poisson', False)])
    early_pairs = [('Brentford', 'Arsenal', False), ('Man United', 'Brentford', False), ('Arsenal', 'Chelsea', False)]
    _, early = scenario(matches, dt.date(2021, 8, 24), early_pairs, [('dixonColes', True)])
    fixture = {
        'generator': 'bench/reference/dixon_coles_reference.py',
        'scipy': scipy.__version__,
        'numpy': np.__version__,
        'files': files,
        'settings': {'xi': XI, 'shrinkMatches': SHRINK_MATCHES, 'shrinkPrecision': SHRINK_PRECISION,
                     'weakestTeams': WEAKEST, 'maxGoals': MAX_GOALS, 'scipyOptions': TIGHT},
        'fixedPoint': {'asOf': end['asOf'], **fixed_point_checks(data)},
        'endOfSeason': end,
        'earlySeason': early,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(fixture, indent=1) + '\n')
    print(f'wrote {OUT} ({OUT.stat().st_size} bytes)')


if __name__ == '__main__':
    main()
