import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createLbfgsWorkspace, isLbfgsStatus, minimizeLbfgs, type LbfgsOptions } from './lbfgs.js';
import { createLineSearchState, strongWolfeLineSearch } from './strong-wolfe-line-search.js';

interface Problem {
  x0: number[];
  scipyDefault: { x: number[]; value: number; iterations: number; evaluations: number };
  minimizer: number[];
  minimum: number;
  exactMinimizer?: number[];
  exactMinimum?: number;
}
interface Fixture {
  rosenbrock2: Problem;
  rosenbrock10: Problem;
  quadratic: Problem & { n: number; matrix: number[][]; vector: number[] };
  logistic: Problem & { design: number[][]; labels: number[] };
}
const fixture = JSON.parse(fs.readFileSync(new URL('./fixtures/lbfgs-reference.json', import.meta.url), 'utf8')) as Fixture;

// What the fixture's tight scipy run used; our run with the same settings must land on the same point.
const TIGHT: LbfgsOptions = { gradientTolerance: 1e-11, valueTolerance: 1e-15, maxIterations: 10_000 };

function rosenbrock(x: Float64Array, gradient: Float64Array): number {
  gradient.fill(0);
  let value = 0;
  for (let i = 0; i < x.length - 1; i++) {
    const curve = x[i + 1]! - x[i]! * x[i]!;
    const offset = 1 - x[i]!;
    value += 100 * curve * curve + offset * offset;
    gradient[i]! += -400 * x[i]! * curve - 2 * offset;
    gradient[i + 1]! += 200 * curve;
  }
  return value;
}

function quadratic(problem: Fixture['quadratic']) {
  const n = problem.n;
  const a = Float64Array.from(problem.matrix.flat());
  const b = Float64Array.from(problem.vector);
  return (x: Float64Array, gradient: Float64Array): number => {
    let value = 0;
    for (let i = 0; i < n; i++) {
      let row = 0;
      for (let j = 0; j < n; j++) row += a[i * n + j]! * x[j]!;
      gradient[i] = row - b[i]!;
      value += 0.5 * x[i]! * row - b[i]! * x[i]!;
    }
    return value;
  };
}

function logisticNll(problem: Fixture['logistic']) {
  const p = problem.design[0]!.length;
  const design = Float64Array.from(problem.design.flat());
  const labels = Float64Array.from(problem.labels);
  return (w: Float64Array, gradient: Float64Array): number => {
    gradient.fill(0);
    let value = 0;
    for (let s = 0; s < labels.length; s++) {
      let eta = 0;
      for (let j = 0; j < p; j++) eta += design[s * p + j]! * w[j]!;
      value += Math.max(eta, 0) + Math.log1p(Math.exp(-Math.abs(eta))) - labels[s]! * eta;
      const residual = 1 / (1 + Math.exp(-eta)) - labels[s]!;
      for (let j = 0; j < p; j++) gradient[j]! += design[s * p + j]! * residual;
    }
    return value;
  };
}

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

describe('minimizeLbfgs vs scipy L-BFGS-B', () => {
  it.each(['rosenbrock2', 'rosenbrock10'] as const)('%s: default options converge like scipy', (name) => {
    const problem = fixture[name];
    const result = minimizeLbfgs(rosenbrock, Float64Array.from(problem.x0));
    expect(result.converged).toBe(true);
    // scipy's default run stops at 2.8e-12 (n = 2) and 1.5e-10-ish (n = 10); ours must be as good.
    expect(result.value).toBeLessThan(Math.max(10 * problem.scipyDefault.value, 1e-9));
    expect(maxAbsDifference(result.x, problem.exactMinimizer!)).toBeLessThan(1e-4);
    // Same algorithm, same line-search constants: a much larger count means a regression.
    expect(result.iterations).toBeLessThanOrEqual(Math.ceil(1.2 * problem.scipyDefault.iterations) + 2);
    expect(result.evaluations).toBeLessThanOrEqual(Math.ceil(1.2 * problem.scipyDefault.evaluations) + 2);
  });

  it.each(['rosenbrock2', 'rosenbrock10'] as const)('%s: tight options reach scipy\'s minimiser to 1e-7', (name) => {
    const problem = fixture[name];
    const result = minimizeLbfgs(rosenbrock, Float64Array.from(problem.x0), TIGHT);
    expect(maxAbsDifference(result.x, problem.minimizer)).toBeLessThan(1e-7);
    expect(maxAbsDifference(result.x, problem.exactMinimizer!)).toBeLessThan(1e-7);
    expect(result.value).toBeLessThan(1e-14);
  });

  it('ill-conditioned quadratic (condition 1e4): default run as close as scipy\'s, tight run to 1e-6 of A⁻¹b', () => {
    const problem = fixture.quadratic;
    const objective = quadratic(problem);
    const loose = minimizeLbfgs(objective, Float64Array.from(problem.x0));
    expect(loose.converged).toBe(true);
    const scipyGap = problem.scipyDefault.value - problem.exactMinimum!;
    expect(loose.value - problem.exactMinimum!).toBeLessThan(Math.max(2 * scipyGap, 1e-12));

    const tight = minimizeLbfgs(objective, Float64Array.from(problem.x0), TIGHT);
    // At this condition number the value stops resolving x near 1e-8; the point is what matters.
    expect(maxAbsDifference(tight.x, problem.exactMinimizer!)).toBeLessThan(1e-6);
    expect(Math.abs(tight.value - problem.exactMinimum!)).toBeLessThan(1e-13);
  });

  it('logistic-regression NLL: coefficients to 1e-6 and minimum to 1e-12 relative of scipy', () => {
    const problem = fixture.logistic;
    const result = minimizeLbfgs(logisticNll(problem), Float64Array.from(problem.x0), TIGHT);
    expect(maxAbsDifference(result.x, problem.minimizer)).toBeLessThan(1e-6);
    expect(Math.abs(result.value - problem.minimum) / problem.minimum).toBeLessThan(1e-12);
    const loose = minimizeLbfgs(logisticNll(problem), Float64Array.from(problem.x0));
    expect(loose.converged).toBe(true);
    expect(maxAbsDifference(loose.x, problem.minimizer)).toBeLessThan(1e-5);
  });
});

describe('minimizeLbfgs behaviour', () => {
  it('gives identical results with a reused workspace and never returns a workspace buffer', () => {
    const workspace = createLbfgsWorkspace(10, 10);
    const x0 = Float64Array.from(fixture.rosenbrock10.x0);
    const fresh = minimizeLbfgs(rosenbrock, x0);
    const first = minimizeLbfgs(rosenbrock, x0, { workspace });
    const second = minimizeLbfgs(rosenbrock, x0, { workspace });
    expect(Array.from(first.x)).toEqual(Array.from(fresh.x));
    expect(Array.from(second.x)).toEqual(Array.from(fresh.x));
    expect(second.iterations).toBe(fresh.iterations);
    expect(first.x).not.toBe(workspace.x);
    expect(Array.from(x0)).toEqual(fixture.rosenbrock10.x0);
    expect(() => minimizeLbfgs(rosenbrock, new Float64Array(3), { workspace })).toThrow(/workspace is for 10/);
  });

  it('steps back from points where the objective is not finite (a log barrier)', () => {
    // f(x) = Σ (x − log x) has its minimum at x = 1 and is undefined for x ≤ 0; a full step from x = 10 overshoots.
    const barrier = (x: Float64Array, gradient: Float64Array): number => {
      let value = 0;
      for (let i = 0; i < x.length; i++) {
        if (!(x[i]! > 0)) return Number.POSITIVE_INFINITY;
        value += x[i]! - Math.log(x[i]!);
        gradient[i] = 1 - 1 / x[i]!;
      }
      return value;
    };
    const result = minimizeLbfgs(barrier, Float64Array.from([10, 0.05, 3]), { gradientTolerance: 1e-8, valueTolerance: 0 });
    expect(result.converged).toBe(true);
    expect(maxAbsDifference(result.x, [1, 1, 1])).toBeLessThan(1e-7);
    expect(result.value).toBeCloseTo(3, 12);
  });

  it('reports why it stopped', () => {
    const capped = minimizeLbfgs(rosenbrock, Float64Array.from(fixture.rosenbrock10.x0), { maxIterations: 5 });
    expect(capped).toMatchObject({ status: 'max-iterations', converged: false, iterations: 5 });
    expect(capped.message).toMatch(/after 5 iterations/);

    const broken = minimizeLbfgs(() => Number.NaN, new Float64Array(2));
    expect(broken).toMatchObject({ status: 'non-finite-start', converged: false, evaluations: 1 });

    const atMinimum = minimizeLbfgs(rosenbrock, Float64Array.from([1, 1]));
    expect(atMinimum).toMatchObject({ status: 'gradient-tolerance', converged: true, iterations: 0 });

    expect(isLbfgsStatus(capped.status)).toBe(true);
    expect(isLbfgsStatus('done')).toBe(false);
  });

  it('rejects nonsense options', () => {
    const x0 = new Float64Array(2);
    expect(() => minimizeLbfgs(rosenbrock, x0, { c1: 0.95 })).toThrow(/0 < c1 < c2 < 1/);
    expect(() => minimizeLbfgs(rosenbrock, x0, { maxIterations: 2.5 })).toThrow(RangeError);
    expect(() => minimizeLbfgs(rosenbrock, new Float64Array(0))).toThrow(/at least one variable/);
  });
});

describe('strongWolfeLineSearch', () => {
  it('returns a step meeting both strong-Wolfe conditions along the steepest descent of Rosenbrock', () => {
    const x = Float64Array.from([-1.2, 1]);
    const gradient = new Float64Array(2);
    const value = rosenbrock(x, gradient);
    const direction = Float64Array.from(gradient, (g) => -g);
    const slope0 = gradient[0]! * direction[0]! + gradient[1]! * direction[1]!;
    const state = createLineSearchState(2);
    // A unit step along this gradient (norm ~230) lands far up the valley wall: it must bracket and zoom.
    strongWolfeLineSearch(rosenbrock, x, value, gradient, direction, 1, { c1: 1e-4, c2: 0.9, maxEvaluations: 20 }, state);
    expect(state.status).toBe('wolfe');
    expect(state.value).toBeLessThanOrEqual(value + 1e-4 * state.step * slope0);
    const slope = gradient[0]! * direction[0]! + gradient[1]! * direction[1]!;
    expect(Math.abs(slope)).toBeLessThanOrEqual(-0.9 * slope0);
    const check = new Float64Array(2);
    expect(rosenbrock(x, check)).toBe(state.value);
  });
});
