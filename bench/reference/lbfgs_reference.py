#!/usr/bin/python3
"""Reference minima for src/numeric/lbfgs.test.ts, computed with scipy's L-BFGS-B.

Run with Debian's interpreter (it has scipy):  /usr/bin/python3 bench/reference/lbfgs_reference.py
Writes src/numeric/fixtures/lbfgs-reference.json and, for the small kernels the optimiser's users
need (log-gamma, log-factorial, Poisson pmf), src/numeric/fixtures/kernels-reference.json. Each problem stores its data, the start point,
scipy's result with default options (to compare iteration counts) and a tightly converged
minimiser (to compare the answer), plus the exact minimiser where one is known in closed form.
"""
import json
import pathlib

import numpy as np
import scipy
from scipy.optimize import minimize, rosen, rosen_der
from scipy.special import gammaln
from scipy.stats import poisson

FIXTURES = pathlib.Path(__file__).resolve().parents[2] / 'src' / 'numeric' / 'fixtures'
OUT = FIXTURES / 'lbfgs-reference.json'
KERNELS_OUT = FIXTURES / 'kernels-reference.json'
SEED = 20240601
TIGHT = {'ftol': 1e-15, 'gtol': 1e-11, 'maxiter': 10000, 'maxfun': 100000}


def run(fun, jac, x0, exact=None, **data):
    default = minimize(fun, x0, jac=jac, method='L-BFGS-B')
    tight = minimize(fun, x0, jac=jac, method='L-BFGS-B', options=TIGHT)
    out = {
        'x0': list(map(float, x0)),
        'scipyDefault': {
            'x': list(map(float, default.x)),
            'value': float(default.fun),
            'iterations': int(default.nit),
            'evaluations': int(default.nfev),
            'success': bool(default.success),
        },
        'minimizer': list(map(float, tight.x)),
        'minimum': float(tight.fun),
        'gradientNormAtMinimizer': float(np.max(np.abs(jac(tight.x)))),
    }
    if exact is not None:
        out['exactMinimizer'] = list(map(float, exact))
        out['exactMinimum'] = float(fun(np.asarray(exact)))
    out.update(data)
    return out


def rosenbrock(n):
    x0 = np.array([-1.2 if i % 2 == 0 else 1.0 for i in range(n)])
    return run(rosen, rosen_der, x0, exact=np.ones(n), n=n)


def quadratic(rng, n=10, condition=1e4):
    # A = Q diag(eigenvalues) Qᵀ with eigenvalues log-spaced from 1 to `condition`: ill-conditioned
    # and not axis-aligned, so no coordinate is easy.
    q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    eigenvalues = np.logspace(0, np.log10(condition), n)
    a = (q * eigenvalues) @ q.T
    a = 0.5 * (a + a.T)
    b = rng.standard_normal(n)

    def fun(x):
        return 0.5 * x @ a @ x - b @ x

    def jac(x):
        return a @ x - b

    return run(fun, jac, np.zeros(n), exact=np.linalg.solve(a, b), n=n, condition=condition,
               matrix=[list(map(float, row)) for row in a], vector=list(map(float, b)))


def logistic(rng, samples=300, features=5):
    # Negative log-likelihood of logistic regression (intercept first), data drawn from a known model.
    x = np.column_stack([np.ones(samples), rng.standard_normal((samples, features))])
    beta = np.array([-0.5, 1.0, -2.0, 0.5, 0.0, 1.5])
    p = 1 / (1 + np.exp(-(x @ beta)))
    y = (rng.random(samples) < p).astype(float)

    def fun(w):
        eta = x @ w
        return float(np.sum(np.logaddexp(0, eta) - y * eta))

    def jac(w):
        eta = x @ w
        return x.T @ (1 / (1 + np.exp(-eta)) - y)

    return run(fun, jac, np.zeros(features + 1), samples=samples, features=features,
               design=[list(map(float, row)) for row in x], labels=list(map(int, y)), trueCoefficients=list(beta))


def dump(value):
    """JSON with one line per top-level and second-level key, so fixtures stay small but diffable."""
    def block(obj, indent):
        if not isinstance(obj, dict) or indent > 1:
            return json.dumps(obj, separators=(',', ':'))
        pad = ' ' * (indent + 1)
        items = [f'{pad}{json.dumps(k)}: {block(v, indent + 1)}' for k, v in obj.items()]
        return '{\n' + ',\n'.join(items) + '\n' + ' ' * indent + '}'
    return block(value, 0) + '\n'


def kernels():
    gamma_points = [1e-8, 1e-3, 0.1, 0.5, 0.9, 1.0, 1.5, 2.0, 2.5, 3.7, 10.0, 33.3, 100.0, 170.5, 1e3, 1e5, 1e10,
                    -0.5, -1.5, -2.3, -10.1]
    factorials = [0, 1, 2, 3, 10, 20, 100, 255, 256, 1000, 100000]
    pmf_cases = [(0, 0.1), (0, 1.4), (1, 1.4), (3, 1.4), (10, 1.4), (0, 2.7), (5, 2.7), (17, 2.7),
                 (100, 95.5), (0, 800.0), (800, 800.0), (40, 1e-3)]
    pmf_vectors = [(1.35, 11), (0.2, 11), (3.9, 16), (750.0, 800)]
    return {
        'generator': 'bench/reference/lbfgs_reference.py',
        'scipy': scipy.__version__,
        'logGamma': [[x, float(gammaln(x))] for x in gamma_points],
        'logFactorial': [[k, float(gammaln(k + 1))] for k in factorials],
        'poissonLogPmf': [[k, rate, float(poisson.logpmf(k, rate))] for k, rate in pmf_cases],
        'poissonPmfVectors': [{'rate': rate, 'pmf': list(map(float, poisson.pmf(np.arange(count), rate)))}
                              for rate, count in pmf_vectors],
    }


def main():
    rng = np.random.default_rng(SEED)
    fixture = {
        'generator': 'bench/reference/lbfgs_reference.py',
        'scipy': scipy.__version__,
        'numpy': np.__version__,
        'seed': SEED,
        'tightOptions': TIGHT,
        'rosenbrock2': rosenbrock(2),
        'rosenbrock10': rosenbrock(10),
        'quadratic': quadratic(rng),
        'logistic': logistic(rng),
    }
    OUT.write_text(dump(fixture))
    for name in ('rosenbrock2', 'rosenbrock10', 'quadratic', 'logistic'):
        p = fixture[name]
        print(f"{name}: min {p['minimum']:.12g} default iters {p['scipyDefault']['iterations']} "
              f"nfev {p['scipyDefault']['evaluations']} success {p['scipyDefault']['success']} "
              f"|g| {p['gradientNormAtMinimizer']:.2e}")
    print(f'wrote {OUT}')
    KERNELS_OUT.write_text(dump(kernels()))
    print(f'wrote {KERNELS_OUT}')


if __name__ == '__main__':
    main()
