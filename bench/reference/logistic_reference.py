#!/usr/bin/python3
"""Reference values for src/ml/logistic-regression.ts, computed with scikit-learn's LogisticRegression.

Run with Debian's Python (it has scikit-learn 1.2):

    /usr/bin/python3 bench/reference/logistic_reference.py

writes src/ml/fixtures/logistic-reference.json and src/ml/fixtures/calibration-reference.json. Each case is a pipeline of mean imputation,
standardisation (population std, as StandardScaler) and LogisticRegression, i.e. what
LogisticRegression in TypeScript does internally, so the coefficients are comparable in the
standardised space.

Two solvers per case: 'lbfgs' (tol 1e-12) as asked, but scipy's L-BFGS-B inside sklearn also stops on
a hard-coded ftol = 64·eps, after ~10–15 iterations with a gradient of ~1e-6, which leaves its
probabilities up to ~5e-6 from the optimum. 'newton-cg' (tol 1e-12) solves the same objective to a
gradient of ~1e-8, so it is the reference for the tight checks; the script asserts the two agree
to 1e-4.

Calibration (src/ml/calibration.ts) lives here too because Platt scaling is a one-feature logistic
regression: sklearn's _sigmoid_calibration (the 'sigmoid' of CalibratedClassifierCV) on log-odds, and
IsotonicRegression(out_of_bounds='clip') as CalibratedClassifierCV(method='isotonic') uses it.

Penalty scaling: sklearn minimises C · Σ w_i loss_i + ½‖W‖² (intercepts unpenalised). Ours minimises
(1/Σw) Σ w_i loss_i + (λ/2)‖W‖², which has the same minimiser when λ = 1 / (C · Σw); the fixture
stores both C and that λ.
"""
import json
import os
import sys
import warnings

import numpy as np
import sklearn
from scipy.optimize import minimize
from scipy.special import expit, xlogy
from sklearn.calibration import _sigmoid_calibration
from sklearn.impute import SimpleImputer
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

# newton-cg's tol is a gradient bound it reaches; at 1e-12 rounding makes its line search fail.
TOL = {'lbfgs': 1e-12, 'newton-cg': 1e-10}
CALIBRATION_FIXTURE = os.path.join(os.path.dirname(__file__), '..', '..', 'src', 'ml', 'fixtures',
                                   'calibration-reference.json')
FIXTURE = os.path.join(os.path.dirname(__file__), '..', '..', 'src', 'ml', 'fixtures', 'logistic-reference.json')


def synthetic(rng, rows, features, classes):
    x = rng.normal(size=(rows, features)) * rng.uniform(0.5, 20, size=features) + rng.uniform(-5, 5, size=features)
    scaled = (x - x.mean(axis=0)) / x.std(axis=0)
    weights = rng.normal(size=(features, classes))
    logits = scaled @ weights + rng.normal(scale=0.5, size=(rows, classes))
    y = logits.argmax(axis=1)
    x[rng.random((rows, features)) < 0.06] = np.nan
    # Rounded so the JSON stays small; both sides use exactly these doubles.
    return np.round(x, 4), y


def case(name, seed, rows, test_rows, features, classes, C, weighted):
    rng = np.random.default_rng(seed)
    X, y = synthetic(rng, rows + test_rows, features, classes)
    X_train, y_train, X_test = X[:rows], y[:rows], X[rows:]
    weights = np.round(rng.uniform(0.2, 3.0, size=rows), 3) if weighted else None
    fits = {}
    for solver in ('lbfgs', 'newton-cg'):
        model = make_pipeline(
            SimpleImputer(strategy='mean'),
            StandardScaler(),
            LogisticRegression(C=C, solver=solver, multi_class='multinomial' if classes > 2 else 'auto', tol=TOL[solver],
                               max_iter=100_000),
        )
        model.fit(X_train, y_train, logisticregression__sample_weight=weights)
        lr = model[-1]
        fits[solver] = {
            'iterations': int(lr.n_iter_[0]),
            # Standardised space; binary: one row (class 1 against class 0).
            'coefficients': [[float(v) for v in row] for row in lr.coef_],
            'intercepts': [float(v) for v in lr.intercept_],
            'testProbabilities': [float(v) for v in model.predict_proba(X_test).ravel()],
        }
    gap = np.abs(np.array(fits['lbfgs']['coefficients']) - np.array(fits['newton-cg']['coefficients'])).max()
    assert gap < 1e-4, f'{name}: lbfgs and newton-cg differ by {gap}'
    weight_sum = float(rows if weights is None else weights.sum())
    return {
        'name': name,
        'classes': classes,
        'featureNames': [f'f{i}' for i in range(features)],
        'rows': rows,
        'C': C,
        'l2': 1.0 / (C * weight_sum),
        'trainValues': [None if np.isnan(v) else float(v) for v in X_train.T.ravel()],
        'trainLabels': [int(v) for v in y_train],
        'weights': None if weights is None else [float(w) for w in weights],
        'testValues': [None if np.isnan(v) else float(v) for v in X_test.T.ravel()],
        'mean': [float(v) for v in model[1].mean_],
        'scale': [float(v) for v in model[1].scale_],
        'lbfgs': fits['lbfgs'],
        'newtonCg': fits['newton-cg'],
    }


def tight_platt(F, y, sample_weight):
    """Same objective and start as sklearn's _sigmoid_calibration, solved to a gradient of ~1e-12."""
    negative = y <= 0
    w = np.ones_like(F) if sample_weight is None else sample_weight
    prior0, prior1 = w[negative].sum(), w[~negative].sum()
    T = np.where(negative, 1.0 / (prior0 + 2.0), (prior1 + 1.0) / (prior1 + 2.0))

    def objective(AB):
        P = expit(-(AB[0] * F + AB[1]))
        loss = -(xlogy(T, P) + xlogy(1.0 - T, 1.0 - P))
        diff = (T - P) * w
        return (w * loss).sum() / w.sum(), np.array([diff @ F, diff.sum()]) / w.sum()

    start = np.array([0.0, np.log((prior0 + 1.0) / (prior1 + 1.0))])
    result = minimize(objective, start, jac=True, method='L-BFGS-B', options=dict(gtol=1e-13, ftol=1e-16, maxiter=10000))
    return [float(v) for v in result.x]


def calibration_case(name, seed, rows, weighted):
    rng = np.random.default_rng(seed)
    true_p = expit(rng.normal(scale=1.5, size=rows))
    y = (rng.random(rows) < true_p).astype(int)
    # An over-confident, biased model: log-odds stretched by 2.2 and shifted; rounded to 4 decimals
    # so many probabilities repeat (isotonic regression must merge duplicates).
    predicted = np.round(expit(2.2 * np.log(true_p / (1 - true_p)) + 0.4), 4)
    weights = np.round(rng.uniform(0.1, 2.0, size=rows), 3) if weighted else None
    clipped = np.clip(predicted, 1e-15, 1 - 1e-15)
    scores = np.log(clipped / (1 - clipped))
    a, b = _sigmoid_calibration(scores, y, weights)
    probe = np.concatenate([[0.0, 1.0, 1e-6, 0.5], np.round(rng.random(200), 5), predicted[:50]])
    probe_clipped = np.clip(probe, 1e-15, 1 - 1e-15)
    probe_scores = np.log(probe_clipped / (1 - probe_clipped))
    tight = tight_platt(scores, y, weights)
    isotonic = IsotonicRegression(out_of_bounds='clip').fit(predicted, y, sample_weight=weights)
    return {
        'name': name,
        'probabilities': [float(v) for v in predicted],
        'outcomes': [int(v) for v in y],
        'weights': None if weights is None else [float(v) for v in weights],
        'probe': [float(v) for v in probe],
        'platt': {
            'sklearn': [float(a), float(b)],
            'tight': tight,
            'probeProbabilities': [float(v) for v in expit(-(tight[0] * probe_scores + tight[1]))],
        },
        'isotonic': {
            'x': [float(v) for v in isotonic.X_thresholds_],
            'y': [float(v) for v in isotonic.y_thresholds_],
            'probeProbabilities': [float(v) for v in isotonic.predict(probe)],
        },
    }


def write_calibration():
    payload = {
        'generator': 'bench/reference/logistic_reference.py',
        'sklearnVersion': sklearn.__version__,
        'cases': [calibration_case('held-out slice, 1,500 rows', 41, 1500, False),
                  calibration_case('weighted, 800 rows', 42, 800, True)],
    }
    with open(CALIBRATION_FIXTURE, 'w') as out:
        json.dump(payload, out, separators=(',', ':'))
        out.write('\n')


def main():
    # The binary newton-cg fit ends on "line search failed" once its gradient is ~1e-12 (rounding);
    # its solution is still the tightest available, so the warning is noise here.
    warnings.filterwarnings('ignore')
    cases = [
        case('3 classes (1X2-like), NaNs, C = 0.7', 31, 800, 200, 5, 3, 0.7, False),
        case('binary, NaNs, C = 2', 32, 800, 200, 4, 2, 2.0, False),
        case('3 classes, sample weights, strong penalty C = 0.01', 33, 600, 200, 6, 3, 0.01, True),
    ]
    payload = {
        'generator': 'bench/reference/logistic_reference.py',
        'sklearnVersion': sklearn.__version__,
        'numpyVersion': np.__version__,
        'cases': cases,
    }
    os.makedirs(os.path.dirname(FIXTURE), exist_ok=True)
    with open(FIXTURE, 'w') as out:
        json.dump(payload, out, separators=(',', ':'))
        out.write('\n')
    write_calibration()
    for c in cases:
        print(f"{c['name']}: lbfgs {c['lbfgs']['iterations']} iterations, newton-cg {c['newtonCg']['iterations']}",
              file=sys.stderr)


if __name__ == '__main__':
    main()
