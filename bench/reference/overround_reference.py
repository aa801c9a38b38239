#!/usr/bin/python3
"""Reference values for src/betting/overround.ts, solved with scipy.optimize.brentq.

Run with Debian's Python (it has scipy):
    /usr/bin/python3 bench/reference/overround_reference.py > src/betting/fixtures/overround-reference.json

Books: Bet365 1X2, over/under 2.5 and Asian handicap prices of the first 5 matches of
/work/shared/data/football-data/E0/2223.csv (football-data.co.uk), plus a few constructed books
that exercise the edges (a heavy favourite that makes additive go negative, a 6-way book, a
book with no margin).
"""
import csv
import json
import math
import os
import sys

import numpy as np
import scipy
from scipy.optimize import brentq

CSV = "/work/shared/data/football-data/E0/2223.csv"
XTOL = 1e-15
RTOL = 4 * np.finfo(float).eps


def implied(odds):
    return [1.0 / o for o in odds]


def multiplicative(odds):
    pi = implied(odds)
    s = sum(pi)
    return [p / s for p in pi], s, True


def additive(odds):
    pi = implied(odds)
    n = len(pi)
    active = set(range(n))
    while True:
        margin = (sum(pi[i] for i in active) - 1) / len(active)
        negative = {i for i in active if pi[i] - margin < 0}
        if not negative:
            break
        active -= negative
    probs = [pi[i] - margin if i in active else 0.0 for i in range(n)]
    return probs, margin, True


def bracket_up(f, lower):
    width = 1.0
    while f(lower + width) >= 0:
        width *= 2
    return lower + width


def power(odds):
    pi = implied(odds)
    f = lambda k: sum(p ** k for p in pi) - 1
    k = brentq(f, 1.0, bracket_up(f, 1.0), xtol=XTOL, rtol=RTOL, maxiter=200) if f(1.0) != 0 else 1.0
    return [p ** k for p in pi], k, True


def shin_probs(pi, z):
    s = sum(pi)
    return [(math.sqrt(z * z + 4 * (1 - z) * p * p / s) - z) / (2 * (1 - z)) for p in pi]


def shin(odds):
    pi = implied(odds)
    f = lambda z: sum(shin_probs(pi, z)) - 1
    z = brentq(f, 0.0, 0.5, xtol=XTOL, rtol=RTOL, maxiter=200) if f(0.0) != 0 else 0.0
    return shin_probs(pi, z), z, True


def odds_ratio(odds):
    pi = implied(odds)
    probs = lambda c: [p / (c + p - c * p) for p in pi]
    f = lambda c: sum(probs(c)) - 1
    c = brentq(f, 1.0, bracket_up(f, 1.0), xtol=XTOL, rtol=RTOL, maxiter=200) if f(1.0) != 0 else 1.0
    return probs(c), c, True


METHODS = {
    "multiplicative": multiplicative,
    "additive": additive,
    "power": power,
    "shin": shin,
    "odds-ratio": odds_ratio,
}


def real_books():
    books = []
    with open(CSV, newline="", encoding="utf-8-sig") as handle:
        for row in list(csv.DictReader(handle))[:5]:
            match = f"{row['Date']} {row['HomeTeam']} v {row['AwayTeam']}"
            books.append({"label": f"{match} B365 1X2", "odds": [float(row[c]) for c in ("B365H", "B365D", "B365A")]})
            books.append({"label": f"{match} B365 O/U 2.5", "odds": [float(row["B365>2.5"]), float(row["B365<2.5"])]})
            books.append({
                "label": f"{match} B365 AH {row['AHh']}",
                "odds": [float(row["B365AHH"]), float(row["B365AHA"])],
            })
    return books


CONSTRUCTED = [
    # 1/1.01 + 1/15 + 1/50 = 1.0768: the additive share (0.0256) exceeds the 50.0 outsider's 0.02.
    {"label": "heavy favourite (additive clips the outsider)", "odds": [1.01, 15.0, 50.0]},
    {"label": "6-way outright, 17% margin", "odds": [2.5, 4.0, 5.0, 7.0, 9.0, 15.0]},
    {"label": "2-way, no margin", "odds": [2.0, 2.0]},
    {"label": "2-way, 10% margin", "odds": [1.5, 2.5]},
]


def main():
    books = real_books() + CONSTRUCTED
    out = []
    for book in books:
        odds = book["odds"]
        methods = {}
        for name, solve in METHODS.items():
            probs, parameter, converged = solve(odds)
            methods[name] = {"probabilities": probs, "parameter": parameter, "converged": converged}
        out.append({
            "label": book["label"],
            "odds": odds,
            "overround": sum(implied(odds)) - 1,
            "methods": methods,
        })
    fixture = {
        "generator": "bench/reference/overround_reference.py",
        "source": os.path.relpath(CSV, "/work/shared") + " (football-data.co.uk), first 5 rows",
        "scipy": scipy.__version__,
        "numpy": np.__version__,
        "books": out,
    }
    json.dump(fixture, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
