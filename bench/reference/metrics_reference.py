#!/usr/bin/python3
"""Reference values for src/ml/metrics (RPS, log loss, Brier, accuracy, reliability, ECE).

Run once with Debian's Python (it has numpy):
    /usr/bin/python3 bench/reference/metrics_reference.py
It writes src/ml/metrics/fixtures/metrics-reference.json; the TypeScript tests only read it.
Every metric is computed straight from its textbook definition with numpy, independently of the
TypeScript loops (cumulative sums via np.cumsum, one-hot matrices, np.quantile, np.searchsorted).
"""
import json
import pathlib

import numpy as np

SEED = 20240611
LOG_LOSS_CLIP = 1e-15
OUT = pathlib.Path(__file__).resolve().parents[2] / "src/ml/metrics/fixtures/metrics-reference.json"


def one_hot(outcomes, k):
    return np.eye(k)[outcomes]


def rps_rows(p, y):
    k = p.shape[1]
    gaps = np.cumsum(p, axis=1) - np.cumsum(one_hot(y, k), axis=1)
    return (gaps[:, : k - 1] ** 2).sum(axis=1) / (k - 1)


def log_loss_rows(p, y):
    # scikit-learn's log_loss (eps=1e-15) clipped every probability to [eps, 1-eps] and renormalised;
    # only the observed class's probability matters, so this differs from it by < 3e-15 per row.
    picked = p[np.arange(len(y)), y]
    return -np.log(np.clip(picked, LOG_LOSS_CLIP, None))


def brier_rows(p, y):
    return ((p - one_hot(y, p.shape[1])) ** 2).sum(axis=1)


def reliability(pred, hit, bins, strategy):
    if strategy == "uniform":
        edges = np.arange(bins + 1) / bins
    else:
        edges = np.quantile(pred, np.arange(bins + 1) / bins, method="linear")
    ids = np.searchsorted(edges[1:-1], pred, side="right")
    counts = np.bincount(ids, minlength=bins)
    sums = np.bincount(ids, weights=pred, minlength=bins)
    events = np.bincount(ids, weights=hit.astype(float), minlength=bins)
    table = []
    for b in range(bins):
        c = int(counts[b])
        table.append({
            "lower": float(edges[b]),
            "upper": float(edges[b + 1]),
            "count": c,
            "meanPredicted": None if c == 0 else float(sums[b] / c),
            "observedFrequency": None if c == 0 else float(events[b] / c),
        })
    nonempty = counts > 0
    ece = float(np.sum(counts[nonempty] * np.abs(sums[nonempty] / counts[nonempty] - events[nonempty] / counts[nonempty])) / len(pred))
    return table, ece


def target_columns(p, y, target):
    if target == "top-label":
        top = np.argmax(p, axis=1)
        return p[np.arange(len(y)), top], (top == y)
    return p[:, target], (y == target)


def make_case(rng, name, n, k, concentration, extremes):
    p = rng.dirichlet(np.full(k, concentration), size=n)
    # Outcomes drawn from a slightly different distribution, so the forecasts are not perfectly calibrated.
    tilt = rng.dirichlet(np.full(k, 4.0), size=n)
    mix = 0.8 * p + 0.2 * tilt
    y = np.array([rng.choice(k, p=row / row.sum()) for row in mix], dtype=np.int64)
    if extremes:
        # Certain and correct, certain and wrong (log loss hits the clip), a uniform row and a tie.
        p[0] = np.eye(k)[0]; y[0] = 0
        p[1] = np.eye(k)[0]; y[1] = k - 1
        p[2] = np.full(k, 1.0 / k); y[2] = 1
        p[3] = np.zeros(k); p[3][0] = p[3][1] = 0.5; y[3] = 1
    case = {
        "name": name,
        "classes": k,
        "probabilities": p.ravel().tolist(),
        "outcomes": y.tolist(),
        "rpsPerRow": rps_rows(p, y).tolist(),
        "logLossPerRow": log_loss_rows(p, y).tolist(),
        "brierPerRow": brier_rows(p, y).tolist(),
        "rps": float(np.mean(rps_rows(p, y))),
        "logLoss": float(np.mean(log_loss_rows(p, y))),
        "brier": float(np.mean(brier_rows(p, y))),
        "accuracy": float(np.mean(np.argmax(p, axis=1) == y)),
        "reliability": [],
    }
    for strategy in ("uniform", "quantile"):
        for bins in (10, 7):
            for target in ["top-label", *range(k)]:
                pred, hit = target_columns(p, y, target)
                table, ece = reliability(pred, hit, bins, strategy)
                case["reliability"].append({"target": target, "bins": bins, "strategy": strategy, "table": table, "ece": ece})
            classwise = np.mean([reliability(*target_columns(p, y, t), bins, strategy)[1] for t in range(k)])
            case["reliability"].append({"target": "classwise", "bins": bins, "strategy": strategy, "ece": float(classwise)})
    return case


def main():
    rng = np.random.default_rng(SEED)
    cases = [
        make_case(rng, "1x2-like, 400 rows", 400, 3, 2.0, True),
        make_case(rng, "5 classes, 150 rows", 150, 5, 0.7, False),
    ]
    # Constantinou & Fenton (2012), reproduced in penaltyblog's docs; outcome index in (home, draw, away).
    classic_forecasts = [
        [1, 0, 0], [0.9, 0.1, 0], [0.8, 0.1, 0.1], [0.5, 0.25, 0.25], [0.35, 0.3, 0.35],
        [0.6, 0.3, 0.1], [0.6, 0.25, 0.15], [0.6, 0.15, 0.25], [0.57, 0.33, 0.1], [0.6, 0.2, 0.2],
    ]
    classic_outcomes = [0, 0, 0, 0, 1, 1, 0, 0, 0, 0]
    cp = np.array(classic_forecasts, dtype=float)
    cy = np.array(classic_outcomes)
    fixture = {
        "generator": "bench/reference/metrics_reference.py",
        "seed": SEED,
        "numpy": np.__version__,
        "logLossClip": LOG_LOSS_CLIP,
        "cases": cases,
        "constantinouFenton2012": {
            "probabilities": cp.ravel().tolist(),
            "outcomes": classic_outcomes,
            "rpsPerRow": rps_rows(cp, cy).tolist(),
            "rps": float(np.mean(rps_rows(cp, cy))),
        },
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(fixture, indent=None, separators=(",", ":")) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")
    print("classic RPS per row:", [round(v, 5) for v in fixture["constantinouFenton2012"]["rpsPerRow"]])
    print("classic mean RPS:", round(fixture["constantinouFenton2012"]["rps"], 5))


if __name__ == "__main__":
    main()
