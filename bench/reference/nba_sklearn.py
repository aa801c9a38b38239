#!/usr/bin/python3
"""scikit-learn's HistGradientBoostingClassifier on the NBA shot split written by bench/nba-shots.ts.

    /usr/bin/python3 bench/reference/nba_sklearn.py FILE.csv --columns a,b,c --categorical b,c [--repeats 3]

FILE.csv has one column per feature (categorical ones as integer codes, `nan` when missing), then
`y` (1 made), `split` (0 fit, 1 validation, 2 test) and `game`. Settings match the TypeScript
candidates (learning rate 0.05, 15 leaves, 100 per leaf, L2 1, 255 bins, native categorical
features). Early stopping uses the same time-ordered validation rows as ours: scikit-learn 1.2
only stops on a random split of its own, so the iteration count is found with warm starts scoring
the validation rows after each iteration (staged predictions, 25 iterations per warm-started fit) under scikit-learn's own rule (10 iterations without a
gain above 1e-7 in log loss), and the fit is then timed from scratch with that many iterations.
Prints one JSON line: iterations, fit seconds, test log loss and AUC, and test predictions.
"""
import argparse
import json
import os
import time

import numpy as np
import sklearn
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import log_loss, roc_auc_score

SETTINGS = dict(learning_rate=0.05, max_leaf_nodes=15, min_samples_leaf=100, l2_regularization=1.0, max_bins=255)
ITERATIONS_NO_CHANGE = 10
TOLERANCE = 1e-7
MAX_ITER = 1000
CHUNK = 25


def should_stop(losses):
    """scikit-learn's _should_stop on losses (lower is better), baseline loss included at index 0."""
    if len(losses) < ITERATIONS_NO_CHANGE + 1:
        return False
    reference = losses[-ITERATIONS_NO_CHANGE - 1] - TOLERANCE
    return not any(loss < reference for loss in losses[-ITERATIONS_NO_CHANGE:])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('csv')
    parser.add_argument('--columns', required=True)
    parser.add_argument('--categorical', default='')
    parser.add_argument('--repeats', type=int, default=3)
    args = parser.parse_args()

    with open(args.csv) as handle:
        header = handle.readline().strip().split(',')
    data = np.genfromtxt(args.csv, delimiter=',', skip_header=1)
    index = {name: i for i, name in enumerate(header)}
    columns = args.columns.split(',')
    categorical = set(filter(None, args.categorical.split(',')))
    X = data[:, [index[c] for c in columns]]
    y = data[:, index['y']].astype(int)
    split = data[:, index['split']].astype(int)
    fit, val, test = split == 0, split == 1, split == 2
    mask = [c in categorical for c in columns]

    # Find the iteration count with warm starts, scoring the time-ordered validation rows after
    # every iteration (staged predictions), CHUNK iterations per warm-started fit.
    model = HistGradientBoostingClassifier(max_iter=1, warm_start=True, early_stopping=False, categorical_features=mask, **SETTINGS)
    base_rate = y[fit].mean()
    losses = [log_loss(y[val], np.full(val.sum(), base_rate), labels=[0, 1])]
    iterations = None
    fitted = 0
    while iterations is None and fitted < MAX_ITER:
        fitted = min(fitted + CHUNK, MAX_ITER)
        model.set_params(max_iter=fitted)
        model.fit(X[fit], y[fit])
        for stage, p in enumerate(model.staged_predict_proba(X[val]), start=1):
            if stage < len(losses):
                continue
            losses.append(log_loss(y[val], p[:, 1], labels=[0, 1]))
            if should_stop(losses):
                iterations = stage
                break
    if iterations is None:
        iterations = fitted

    seconds = []
    for _ in range(args.repeats):
        final = HistGradientBoostingClassifier(max_iter=iterations, early_stopping=False, categorical_features=mask, **SETTINGS)
        start = time.perf_counter()
        final.fit(X[fit], y[fit])
        seconds.append(time.perf_counter() - start)
    p = final.predict_proba(X[test])[:, 1]
    print(json.dumps({
        'sklearnVersion': sklearn.__version__,
        'threads': os.environ.get('OMP_NUM_THREADS', 'default'),
        'iterations': iterations,
        'fitSeconds': seconds,
        'medianSeconds': float(np.median(seconds)),
        'testLogLoss': float(log_loss(y[test], p, labels=[0, 1])),
        'testAuc': float(roc_auc_score(y[test], p)),
        'testProbabilities': [float(x) for x in p],
    }))


if __name__ == '__main__':
    main()
