"""Times a scipy Dixon-Coles fit on the same weekly E0 windows as bench/football-backtest.ts.

Reference for issue 3 ("a scipy Dixon-Coles ... at about 10 ms per fit"): every week of 2021/22 and
2022/23, fitted on the previous 3 x 365 days, from scratch, with scipy's default L-BFGS-B tolerances
and the same analytic likelihood and gradient as dixon_coles_reference.py (vectorised numpy).
Run with Debian's interpreter (it has scipy):  /usr/bin/python3 bench/reference/dixon_coles_fit_timing.py
Prints one JSON line: {"fits": n, "medianMs": ..., "p90Ms": ...}.
"""
import csv
import datetime as dt
import json
import pathlib
import sys
import time

import numpy as np
from scipy.optimize import minimize

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from dixon_coles_reference import Data, nll  # noqa: E402  (same likelihood and gradient)

DATA = pathlib.Path(__file__).resolve().parents[2] / 'data' / 'football-data' / 'E0'
SEASONS = ['1718', '1819', '1920', '2021', '2122', '2223']
XI = 0.0019


def read():
    matches = []
    for season in SEASONS:
        with (DATA / f'{season}.csv').open(newline='', encoding='latin-1') as handle:
            for row in csv.DictReader(handle):
                if not row.get('HomeTeam') or not row.get('FTHG'):
                    continue
                day, month, year = (int(p) for p in row['Date'].split('/'))
                if year < 100:
                    year += 2000
                matches.append({'date': dt.date(year, month, day), 'home': row['HomeTeam'], 'away': row['AwayTeam'],
                                'hg': int(float(row['FTHG'])), 'ag': int(float(row['FTAG']))})
    return matches


def fit(data):
    n = data.n
    theta = np.zeros(2 * n + 3)
    theta[2 * n] = np.log((np.sum(data.w * data.x) + np.sum(data.w * data.y)) / (2 * np.sum(data.w)))

    def objective(t):
        params = t.copy()
        params[:n] -= params[:n].mean()
        params[n:2 * n] -= params[n:2 * n].mean()
        f, g = nll(data, params, True)
        g = g.copy()
        g[:n] -= g[:n].mean()
        g[n:2 * n] -= g[n:2 * n].mean()
        return f, g

    bounds = [(None, None)] * len(theta)
    bounds[-1] = (-0.25, 0.25)
    return minimize(objective, theta, jac=True, method='L-BFGS-B', bounds=bounds)


def main():
    matches = read()
    start, end = dt.date(2021, 8, 1), dt.date(2023, 6, 1)
    times = []
    day = start
    while day < end:
        window = [m for m in matches if day - dt.timedelta(days=3 * 365) <= m['date'] < day]
        if any(day <= m['date'] < day + dt.timedelta(days=7) for m in matches):
            data = Data(window, day, XI)
            t0 = time.perf_counter()
            fit(data)
            times.append((time.perf_counter() - t0) * 1000)
        day += dt.timedelta(days=7)
    times.sort()
    print(json.dumps({'fits': len(times), 'medianMs': times[len(times) // 2], 'p90Ms': times[int(len(times) * 0.9)]}))


if __name__ == '__main__':
    main()
