#!/usr/bin/python3
"""Reference values for src/ml/metrics/auc.ts, computed with scikit-learn's roc_auc_score.

Run once with Debian's Python (it has scikit-learn 1.2):
    /usr/bin/python3 bench/reference/auc_reference.py
It writes src/ml/metrics/fixtures/auc-reference.json; the TypeScript test only reads it.
"""
import json
import pathlib

import numpy as np
import sklearn
from sklearn.metrics import roc_auc_score

SEED = 20240707
OUT = pathlib.Path(__file__).resolve().parents[2] / "src/ml/metrics/fixtures/auc-reference.json"


def case(name, scores, outcomes):
    scores = [float(s) for s in scores]
    outcomes = [int(y) for y in outcomes]
    return {"name": name, "scores": scores, "outcomes": outcomes, "auc": float(roc_auc_score(outcomes, scores))}


rng = np.random.default_rng(SEED)
cases = [
    case("textbook: 4 rows", [0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]),
    case("perfect ranking", [0.1, 0.2, 0.3, 0.9], [0, 0, 1, 1]),
    case("reversed ranking", [0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1]),
    case("every score tied", [0.5] * 6, [0, 1, 0, 1, 1, 0]),
]
# Shot-like: 2,000 rows, make probability ~0.47, scores informative, rounded so ties are common.
p = rng.uniform(0.1, 0.9, 2000)
y = (rng.uniform(size=2000) < p).astype(int)
cases.append(case("2,000 rows, scores rounded to 2 decimals (many ties)", np.round(p + rng.normal(0, 0.15, 2000), 2), y))
cases.append(case("2,000 rows, continuous scores", p + rng.normal(0, 0.05, 2000), y))
# Imbalanced: 3% positives.
q = rng.uniform(size=500)
z = (rng.uniform(size=500) < 0.03 + 0.1 * q).astype(int)
cases.append(case("500 rows, few positives", q, z))

OUT.write_text(json.dumps({"generator": "bench/reference/auc_reference.py", "seed": SEED, "sklearn": sklearn.__version__, "cases": cases}))
print(f"wrote {OUT} ({len(cases)} cases)")
