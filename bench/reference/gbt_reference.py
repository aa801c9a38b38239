#!/usr/bin/python3
"""Reference values for src/ml/gradient-boosting, computed with scikit-learn's HistGradientBoostingClassifier.

Run with Debian's Python (it has scikit-learn 1.2):

    /usr/bin/python3 bench/reference/gbt_reference.py
        writes src/ml/gradient-boosting/fixtures/gbt-reference.json (seeded synthetic data and
        sklearn's log loss on it) and src/ml/gradient-boosting/fixtures/binning-reference.json
        (sklearn's _BinMapper thresholds and bins on small columns).

    /usr/bin/python3 bench/reference/gbt_reference.py --bench FILE.csv --categorical 19 --max-iter 100
        times sklearn on a CSV written by bench/gbt-train.ts (columns x0..x{F-1}, y, test) and
        prints one JSON line: fit seconds per repeat, median, iterations and test log loss.

Settings mirror the TypeScript defaults: learning_rate 0.1, max_leaf_nodes 31, min_samples_leaf 20,
l2_regularization 0, max_bins 255, early_stopping off, fixed max_iter.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import sklearn
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.ensemble._hist_gradient_boosting.binning import _BinMapper
from sklearn.metrics import log_loss

FIXTURE_DIR = os.path.join(os.path.dirname(__file__), '..', '..', 'src', 'ml', 'gradient-boosting', 'fixtures')
SETTINGS = dict(learning_rate=0.1, max_leaf_nodes=31, min_samples_leaf=20, l2_regularization=0.0, max_bins=255,
                early_stopping=False)


def synthetic(rng, rows, classes):
    """6 numeric features (x1 and x4 with missing values), 1 categorical (8 codes, some missing)."""
    x = rng.normal(size=(rows, 6))
    x[:, 5] = rng.exponential(size=rows)
    cat = rng.integers(0, 8, size=rows).astype(float)
    cat_effect = np.array([0.9, -0.6, 0.0, 1.4, -1.1, 0.3, -0.2, 0.7])
    base = 0.9 * x[:, 0] - 0.7 * x[:, 1] * x[:, 2] + np.sin(2 * x[:, 3]) + 0.4 * x[:, 4] ** 2 - 0.3 * x[:, 5]
    base = base + cat_effect[cat.astype(int)]
    missing1 = rng.random(rows) < 0.15
    missing4 = rng.random(rows) < 0.08
    missing_cat = rng.random(rows) < 0.05
    # Missingness carries signal, so sending missing values to the right side matters.
    base = base + 0.8 * missing1
    x[missing1, 1] = np.nan
    x[missing4, 4] = np.nan
    cat[missing_cat] = np.nan
    if classes == 2:
        p = 1 / (1 + np.exp(-base))
        y = (rng.random(rows) < p).astype(int)
    else:
        logits = np.stack([1.5 * base, 1.5 * x[:, 0] + 2 * np.cos(2 * x[:, 2]) + np.nan_to_num(x[:, 4]), np.zeros(rows)], axis=1)
        p = np.exp(logits - logits.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        u = rng.random(rows)[:, None]
        y = (u > np.cumsum(p, axis=1)).sum(axis=1)
    features = np.column_stack([x, cat])
    # Rounded to 3 decimals so the JSON fixture stays small; both sides use these exact doubles.
    return np.round(features, 3), y


def case(seed, classes, train_rows, test_rows, max_iter):
    rng = np.random.default_rng(seed)
    X, y = synthetic(rng, train_rows + test_rows, classes)
    X_train, y_train = X[:train_rows], y[:train_rows]
    X_test, y_test = X[train_rows:], y[train_rows:]
    is_categorical = [False] * 6 + [True]
    model = HistGradientBoostingClassifier(max_iter=max_iter, categorical_features=is_categorical, **SETTINGS)
    model.fit(X_train, y_train)
    proba = model.predict_proba(X_test)
    return {
        'seed': seed,
        'classes': classes,
        'maxIterations': max_iter,
        'featureNames': [f'x{i}' for i in range(6)] + ['category'],
        'featureKinds': ['numeric'] * 6 + ['categorical'],
        'trainRows': train_rows,
        'testRows': test_rows,
        # Column-major, NaN as null (JSON has no NaN).
        'trainValues': [None if np.isnan(v) else float(v) for v in X_train.T.ravel()],
        'trainLabels': [int(v) for v in y_train],
        'testValues': [None if np.isnan(v) else float(v) for v in X_test.T.ravel()],
        'testLabels': [int(v) for v in y_test],
        'sklearn': {
            'iterations': int(model.n_iter_),
            'trainLogLoss': float(log_loss(y_train, model.predict_proba(X_train), labels=list(range(classes)))),
            'testLogLoss': float(log_loss(y_test, proba, labels=list(range(classes)))),
            'baselineTestLogLoss': float(log_loss(y_test, np.tile(np.bincount(y_train, minlength=classes) / train_rows,
                                                                   (test_rows, 1)), labels=list(range(classes)))),
        },
    }


def binning_case(name, column, max_bins):
    mapper = _BinMapper(n_bins=max_bins + 1).fit(column.reshape(-1, 1))
    binned = mapper.transform(column.reshape(-1, 1)).ravel()
    return {
        'name': name,
        'maxBins': max_bins,
        'values': [None if np.isnan(v) else float(v) for v in column],
        'thresholds': [float(t) for t in mapper.bin_thresholds_[0]],
        'bins': [int(b) for b in binned],
    }


def write_fixtures():
    gbt = {
        'generator': 'bench/reference/gbt_reference.py',
        'sklearnVersion': sklearn.__version__,
        'numpyVersion': np.__version__,
        'settings': SETTINGS,
        'cases': [case(20240601, 2, 2000, 1000, 100), case(20240602, 3, 2000, 1000, 60)],
    }
    rng = np.random.default_rng(7)
    continuous = rng.normal(size=1000) * 3 + 1
    ties = np.round(rng.gamma(2.0, 2.0, size=900), 1)
    ties[rng.random(900) < 0.1] = np.nan
    few = rng.integers(0, 12, size=300).astype(float) * 0.25
    binning = {
        'generator': 'bench/reference/gbt_reference.py',
        'sklearnVersion': sklearn.__version__,
        'cases': [
            binning_case('continuous, 255 bins (quantile path)', continuous, 255),
            binning_case('ties and NaN, 255 bins (quantile path)', ties, 255),
            binning_case('ties and NaN, 16 bins (quantile path, duplicate edges)', ties, 16),
            binning_case('12 distinct values (midpoint path)', few, 255),
            binning_case('continuous, 7 bins', continuous, 7),
        ],
    }
    os.makedirs(FIXTURE_DIR, exist_ok=True)
    for file_name, payload in (('gbt-reference.json', gbt), ('binning-reference.json', binning)):
        with open(os.path.join(FIXTURE_DIR, file_name), 'w') as out:
            json.dump(payload, out, separators=(',', ':'))
            out.write('\n')
        print(f'wrote {file_name}', file=sys.stderr)
    for c in gbt['cases']:
        print(f"{c['classes']} classes: sklearn test log loss {c['sklearn']['testLogLoss']:.6f} "
              f"(baseline {c['sklearn']['baselineTestLogLoss']:.6f})", file=sys.stderr)


def bench(path, categorical, max_iter, repeats):
    data = np.loadtxt(path, delimiter=',', skiprows=1)
    X, y, test = data[:, :-2], data[:, -2].astype(int), data[:, -1] == 1
    is_categorical = [False] * X.shape[1]
    for f in categorical:
        is_categorical[f] = True
    classes = int(y.max()) + 1
    seconds = []
    for _ in range(repeats):
        model = HistGradientBoostingClassifier(max_iter=max_iter, categorical_features=is_categorical, **SETTINGS)
        start = time.perf_counter()
        model.fit(X[~test], y[~test])
        seconds.append(time.perf_counter() - start)
    proba = model.predict_proba(X[test])
    print(json.dumps({
        'sklearnVersion': sklearn.__version__,
        'threads': os.environ.get('OMP_NUM_THREADS', 'default'),
        'rows': int((~test).sum()),
        'features': int(X.shape[1]),
        'classes': classes,
        'iterations': int(model.n_iter_),
        'fitSeconds': seconds,
        'medianSeconds': float(np.median(seconds)),
        'testLogLoss': float(log_loss(y[test], proba, labels=list(range(classes)))),
    }))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--bench', metavar='CSV', help='time sklearn on this CSV instead of writing fixtures')
    parser.add_argument('--categorical', type=int, nargs='*', default=[], help='categorical column indices')
    parser.add_argument('--max-iter', type=int, default=100)
    parser.add_argument('--repeats', type=int, default=3)
    args = parser.parse_args()
    if args.bench:
        bench(args.bench, args.categorical, args.max_iter, args.repeats)
    else:
        write_fixtures()


if __name__ == '__main__':
    main()
