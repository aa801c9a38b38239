#!/usr/bin/python3
"""Reference fits for src/football/ratings/ordered-logit.ts.

Run once with Debian's Python (it has numpy and scipy):
    /usr/bin/python3 bench/reference/ordered_logit_reference.py
It writes src/football/ratings/fixtures/ordered-logit-reference.json; the tests only read it.

Model: P(y <= j | x) = expit(theta_j - beta . x), latent order 0 = away < 1 = draw < 2 = home.
The fixture stores outcomes in the project's 1X2 code (0 home, 1 draw, 2 away) = 2 - latent.
Fitted here independently of the TypeScript: cut-points (theta1, theta2) directly (no e^delta
reparametrisation), scipy BFGS on the mean negative log-likelihood with an analytic gradient, then
Newton polishing with a finite-difference Hessian until the gradient is at rounding level.
"""
import json
import pathlib

import numpy as np
import scipy
from scipy.optimize import approx_fprime, minimize
from scipy.special import expit, log_expit

SEED = 7341
OUT = pathlib.Path(__file__).resolve().parents[2] / "src/football/ratings/fixtures/ordered-logit-reference.json"


def simulate(rng, n, x, beta, theta):
    latent = x @ beta + rng.logistic(size=n)
    y = np.where(latent <= theta[0], 0, np.where(latent <= theta[1], 1, 2))
    return y


def negative_log_likelihood(params, x, y):
    theta1, theta2, beta = params[0], params[1], params[2:]
    if theta2 <= theta1:
        return np.inf, np.zeros_like(params)
    eta = x @ beta
    a = theta2 - eta
    b = theta1 - eta
    ll = np.empty(len(y))
    d_a = np.zeros(len(y))
    d_b = np.zeros(len(y))
    away, draw, home = y == 0, y == 1, y == 2
    ll[away] = log_expit(b[away])
    d_b[away] = expit(-b[away])
    ll[home] = log_expit(-a[home])
    d_a[home] = -expit(a[home])
    gap = expit(a[draw]) - expit(b[draw])
    ll[draw] = np.log(gap)
    d_a[draw] = expit(a[draw]) * expit(-a[draw]) / gap
    d_b[draw] = -expit(b[draw]) * expit(-b[draw]) / gap
    n = len(y)
    grad = np.concatenate(([-d_b.sum() / n, -d_a.sum() / n], ((d_a + d_b)[:, None] * x).sum(axis=0) / n))
    return -ll.sum() / n, grad


def fit(x, y):
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    z = (x - mean) / scale
    shares = np.bincount(y, minlength=3) / len(y)
    start = np.concatenate(([np.log(shares[0] / (1 - shares[0])), np.log((shares[0] + shares[1]) / shares[2])], np.zeros(x.shape[1])))
    result = minimize(lambda p: negative_log_likelihood(p, z, y), start, jac=True, method="BFGS", options={"gtol": 1e-11, "maxiter": 10000})
    params = result.x
    for _ in range(8):
        grad = negative_log_likelihood(params, z, y)[1]
        hessian = np.array([approx_fprime(params, lambda p, i=i: negative_log_likelihood(p, z, y)[1][i], 1e-6) for i in range(len(params))])
        hessian = (hessian + hessian.T) / 2
        params = params - np.linalg.solve(hessian, grad)
    value, grad = negative_log_likelihood(params, z, y)
    beta = params[2:] / scale
    shift = float(np.sum(params[2:] * mean / scale))
    theta = params[:2] + shift
    # Same optimum evaluated on the raw features, as a cross-check of the back-transformation.
    raw_value = negative_log_likelihood(np.concatenate((theta, beta)), x, y)[0]
    assert abs(raw_value - value) < 1e-12, (raw_value, value)
    return theta, beta, -value * len(y), float(np.max(np.abs(grad)))


def probabilities(theta, beta, x):
    eta = x @ beta
    away = expit(theta[0] - eta)
    home = expit(eta - theta[1])
    return np.column_stack((home, 1 - home - away, away))


def make_case(rng, name, n, x, beta, theta, grid):
    latent_y = simulate(rng, n, x, np.array(beta), theta)
    fitted_theta, fitted_beta, log_likelihood, grad_norm = fit(x, latent_y)
    grid = np.array(grid, dtype=float)
    return {
        "name": name,
        "featureCount": x.shape[1],
        "features": x.ravel().tolist(),
        "outcomes": (2 - latent_y).tolist(),
        "trueCutPoints": list(theta),
        "trueCoefficients": list(beta),
        "cutPoints": fitted_theta.tolist(),
        "coefficients": fitted_beta.tolist(),
        "logLikelihood": float(log_likelihood),
        "gradientInfinityNorm": grad_norm,
        "grid": grid.ravel().tolist(),
        "gridProbabilities": probabilities(fitted_theta, fitted_beta, grid).ravel().tolist(),
    }


def main():
    rng = np.random.default_rng(SEED)
    n1 = 3000
    x1 = rng.normal(80.0, 120.0, size=(n1, 1))
    n2 = 2000
    x2 = np.column_stack((rng.normal(0.3, 0.6, size=n2), rng.normal(0.0, 1.0, size=n2)))
    cases = [
        make_case(rng, "one Elo-scale feature, 3000 rows", n1, x1, [0.005], (-0.5, 0.6),
                  [[-400.0], [-100.0], [0.0], [80.0], [250.0], [600.0]]),
        make_case(rng, "two features, 2000 rows", n2, x2, [0.9, -0.2], (-0.4, 0.7),
                  [[-1.5, 0.0], [0.0, 0.0], [0.3, -1.0], [1.2, 2.0], [3.0, -0.5]]),
    ]
    fixture = {
        "generator": "bench/reference/ordered_logit_reference.py",
        "seed": SEED,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "cases": cases,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(fixture, separators=(",", ":")) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")
    for case in cases:
        print(case["name"], "cut-points", case["cutPoints"], "coefficients", case["coefficients"],
              "logL", case["logLikelihood"], "|grad|", case["gradientInfinityNorm"],
              "shares (home, draw, away)", np.bincount(case["outcomes"], minlength=3) / len(case["outcomes"]))


if __name__ == "__main__":
    main()
