#!/usr/bin/python3
"""Reference values for src/football/score-grid.ts, computed with scipy.stats.poisson.

Run with Debian's Python (it has scipy):
    /usr/bin/python3 bench/reference/score_grid_reference.py > src/football/fixtures/score-grid-reference.json

Settlement is worked out here the long way (split the stake over the two neighbouring lines of a
quarter line and settle each half on its own), independently of the TypeScript implementation.
"""
import json
import sys

import numpy as np
import scipy
from scipy.stats import poisson

CASES = [
    # (home rate, away rate, rho, max goals)
    (1.45, 1.10, 0.0, 10),
    (1.70, 0.90, -0.13, 10),
    (0.60, 0.40, 0.10, 10),
    (2.90, 0.35, -0.08, 12),
    (1.20, 1.20, 0.05, 6),
    (3.40, 2.80, 0.0, 5),
    (0.0, 1.30, 0.0, 10),
]
TOTAL_LINES = [0.5, 1.5, 2.0, 2.25, 2.5, 2.75, 3.0, 3.25, 4.5]
HOME_LINES = [-2.0, -1.5, -1.25, -1.0, -0.75, -0.5, -0.25, 0.0, 0.25, 0.5, 0.75, 1.0, 1.5]


def grid(lam, mu, rho, max_goals):
    goals = np.arange(max_goals + 1)
    m = np.outer(poisson.pmf(goals, lam), poisson.pmf(goals, mu))
    m[0, 0] *= 1 - lam * mu * rho
    m[0, 1] *= 1 + lam * rho
    m[1, 0] *= 1 + mu * rho
    m[1, 1] *= 1 - rho
    raw_total = m.sum()
    return m / raw_total, 1.0 - raw_total


def settle_whole_or_half(x, line):
    """+1 win, 0 push, -1 lose for the side that wants x above line."""
    if x > line:
        return 1
    if x == line:
        return 0
    return -1


def settle(values_and_probs, line):
    """Settlement of the 'above' side; quarter lines split the stake over line - 0.25 and line + 0.25."""
    quarter = (line * 4) % 2 == 1
    halves = [line - 0.25, line + 0.25] if quarter else [line]
    out = {"win": 0.0, "halfWin": 0.0, "push": 0.0, "halfLose": 0.0, "lose": 0.0}
    for x, p in values_and_probs:
        results = [settle_whole_or_half(x, h) for h in halves]
        if len(results) == 1:
            key = {1: "win", 0: "push", -1: "lose"}[results[0]]
        else:
            key = {
                (1, 1): "win",
                (1, 0): "halfWin",
                (0, -1): "halfLose",
                (-1, -1): "lose",
            }[tuple(results)]
        out[key] += p
    return out


def mirror(side):
    return {
        "win": side["lose"],
        "halfWin": side["halfLose"],
        "push": side["push"],
        "halfLose": side["halfWin"],
        "lose": side["win"],
    }


def fair_odds(side):
    win = side["win"] + side["halfWin"] / 2
    lose = side["lose"] + side["halfLose"] / 2
    return None if win == 0 else 1 + lose / win


def case(lam, mu, rho, max_goals):
    m, truncated = grid(lam, mu, rho, max_goals)
    n = max_goals + 1
    cells = [(i, j, float(m[i, j])) for i in range(n) for j in range(n)]
    totals = [(i + j, p) for i, j, p in cells]
    diffs = [(i - j, p) for i, j, p in cells]
    home_marginal = m.sum(axis=1)
    away_marginal = m.sum(axis=0)
    goals = np.arange(n)
    top = sorted(cells, key=lambda c: (-c[2], c[0], c[1]))[:8]
    total_markets = []
    for line in TOTAL_LINES:
        over = settle(totals, line)
        total_markets.append({"line": line, "over": over, "under": mirror(over)})
    ah_markets = []
    for home_line in HOME_LINES:
        # The home bet wins when (home - away) + home_line > 0.
        home = settle(diffs, -home_line)
        away = mirror(home)
        ah_markets.append({
            "homeLine": home_line,
            "home": home,
            "away": away,
            "fairOdds": {"home": fair_odds(home), "away": fair_odds(away)},
        })
    return {
        "homeRate": lam,
        "awayRate": mu,
        "rho": rho,
        "maxGoals": max_goals,
        "truncatedMass": float(truncated),
        "matrix": [float(v) for v in m.ravel()],
        "oneXTwo": {
            "home": float(np.tril(m, -1).sum()),
            "draw": float(np.trace(m)),
            "away": float(np.triu(m, 1).sum()),
        },
        "expectedGoals": {
            "home": float((goals * home_marginal).sum()),
            "away": float((goals * away_marginal).sum()),
        },
        "bothTeamsToScore": {"yes": float(m[1:, 1:].sum()), "no": float(1 - m[1:, 1:].sum())},
        "homeGoals": [float(v) for v in home_marginal],
        "awayGoals": [float(v) for v in away_marginal],
        "exactScores": [{"homeGoals": i, "awayGoals": j, "probability": p} for i, j, p in top],
        "totalGoals": total_markets,
        "asianHandicap": ah_markets,
    }


def main():
    fixture = {
        "generator": "bench/reference/score_grid_reference.py",
        "scipy": scipy.__version__,
        "numpy": np.__version__,
        "cases": [case(*c) for c in CASES],
    }
    json.dump(fixture, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
