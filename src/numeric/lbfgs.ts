import {
  createLineSearchState,
  strongWolfeLineSearch,
  type LineSearchState,
  type Objective,
} from './strong-wolfe-line-search.js';

export type { Objective } from './strong-wolfe-line-search.js';

/** Why minimizeLbfgs stopped. The first two mean converged. */
export const LBFGS_STATUSES = [
  'gradient-tolerance',
  'value-tolerance',
  'max-iterations',
  'max-evaluations',
  'line-search-failed',
  'non-finite-start',
] as const;
/** One of LBFGS_STATUSES. */
export type LbfgsStatus = (typeof LBFGS_STATUSES)[number];

/** True when `value` is one of LBFGS_STATUSES. */
export function isLbfgsStatus(value: unknown): value is LbfgsStatus {
  return (LBFGS_STATUSES as readonly unknown[]).includes(value);
}

/** Every buffer minimizeLbfgs needs for `n` variables and `memory` correction pairs; reusable across calls. */
export interface LbfgsWorkspace {
  readonly n: number;
  readonly memory: number;
  readonly x: Float64Array;
  readonly gradient: Float64Array;
  readonly direction: Float64Array;
  readonly previousX: Float64Array;
  readonly previousGradient: Float64Array;
  /** Correction pairs s = Δx and y = Δgradient, `memory` rows of n, used as a ring. */
  readonly s: Float64Array;
  readonly y: Float64Array;
  /** 1 / (yᵀs) per stored pair, and the two-loop recursion's alphas. */
  readonly rho: Float64Array;
  readonly alpha: Float64Array;
  readonly lineSearch: LineSearchState;
}

/** Allocates a workspace for `n` variables keeping `memory` (default 10) correction pairs. */
export function createLbfgsWorkspace(n: number, memory = 10): LbfgsWorkspace {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`createLbfgsWorkspace: n must be a positive integer, got ${n}`);
  if (!Number.isInteger(memory) || memory < 1) {
    throw new RangeError(`createLbfgsWorkspace: memory must be a positive integer, got ${memory}`);
  }
  return {
    n,
    memory,
    x: new Float64Array(n),
    gradient: new Float64Array(n),
    direction: new Float64Array(n),
    previousX: new Float64Array(n),
    previousGradient: new Float64Array(n),
    s: new Float64Array(memory * n),
    y: new Float64Array(memory * n),
    rho: new Float64Array(memory),
    alpha: new Float64Array(memory),
    lineSearch: createLineSearchState(n),
  };
}

/** Options of minimizeLbfgs; defaults follow scipy's L-BFGS-B where it has the same knob. */
export interface LbfgsOptions {
  /** Iteration limit (default 200). */
  readonly maxIterations?: number;
  /** Objective-evaluation limit over the whole run (default 15000, scipy's maxfun). */
  readonly maxEvaluations?: number;
  /** Correction pairs kept (default 10, scipy's maxcor). Ignored when `workspace` is given. */
  readonly memory?: number;
  /** Stop when the gradient's infinity norm is at most this (default 1e-6, scipy's gtol/pgtol). */
  readonly gradientTolerance?: number;
  /** Stop when (f_prev − f) / max(|f_prev|, |f|, 1) ≤ this (default 2.2e-9, scipy's ftol). */
  readonly valueTolerance?: number;
  /** Sufficient-decrease constant of the strong-Wolfe line search (default 1e-4). */
  readonly c1?: number;
  /** Curvature constant of the strong-Wolfe line search (default 0.9). */
  readonly c2?: number;
  /** Evaluation limit per line search (default 20, scipy's maxls). */
  readonly maxLineSearchEvaluations?: number;
  /** Buffers from createLbfgsWorkspace(x0.length, m) so repeated minimisations allocate nothing but the result. */
  readonly workspace?: LbfgsWorkspace;
}

/** Outcome of minimizeLbfgs. */
export interface LbfgsResult {
  /** Best point found (a fresh array, never a workspace buffer). */
  readonly x: Float64Array;
  readonly value: number;
  /** Infinity norm of the gradient at `x`. */
  readonly gradientNorm: number;
  readonly iterations: number;
  readonly evaluations: number;
  /** True when a tolerance was met (status 'gradient-tolerance' or 'value-tolerance'). */
  readonly converged: boolean;
  readonly status: LbfgsStatus;
  /** Human-readable reason for stopping, with the figures behind it. */
  readonly message: string;
}

function infinityNorm(values: Float64Array): number {
  let norm = 0;
  for (let i = 0; i < values.length; i++) {
    const magnitude = Math.abs(values[i]!);
    // NaN must win, so that a broken gradient is never mistaken for a small one.
    if (!(magnitude <= norm)) norm = magnitude;
  }
  return norm;
}

function positiveOption(name: string, value: number | undefined, fallback: number, integer: boolean): number {
  if (value === undefined) return fallback;
  if (!(value >= 0) || (integer && !Number.isInteger(value))) {
    throw new RangeError(`minimizeLbfgs: ${name} must be ${integer ? 'a non-negative integer' : 'a number >= 0'}, got ${value}`);
  }
  return value;
}

/**
 * Minimises a smooth function by limited-memory BFGS with a strong-Wolfe line search.
 *
 * `objective(x, gradient)` must write ∇f(x) into `gradient` and return f(x); it may return
 * Infinity/NaN outside its domain, and the line search then steps back. Allocates only the result
 * when `options.workspace` is given, so thousands of refits produce no garbage per iteration.
 */
export function minimizeLbfgs(objective: Objective, x0: Float64Array, options: LbfgsOptions = {}): LbfgsResult {
  const n = x0.length;
  const maxIterations = positiveOption('maxIterations', options.maxIterations, 200, true);
  const maxEvaluations = positiveOption('maxEvaluations', options.maxEvaluations, 15_000, true);
  const gradientTolerance = positiveOption('gradientTolerance', options.gradientTolerance, 1e-6, false);
  const valueTolerance = positiveOption('valueTolerance', options.valueTolerance, 2.2e-9, false);
  const c1 = positiveOption('c1', options.c1, 1e-4, false);
  const c2 = positiveOption('c2', options.c2, 0.9, false);
  if (!(c1 > 0 && c1 < c2 && c2 < 1)) throw new RangeError(`minimizeLbfgs: need 0 < c1 < c2 < 1, got c1 = ${c1}, c2 = ${c2}`);
  const lineSearchParameters = {
    c1,
    c2,
    maxEvaluations: Math.max(1, positiveOption('maxLineSearchEvaluations', options.maxLineSearchEvaluations, 20, true)),
  };
  if (n < 1) throw new RangeError('minimizeLbfgs: x0 must have at least one variable');
  const workspace = options.workspace ?? createLbfgsWorkspace(n, options.memory ?? 10);
  if (workspace.n !== n) {
    throw new RangeError(`minimizeLbfgs: the workspace is for ${workspace.n} variables but x0 has ${n}`);
  }
  const { memory, x, gradient, direction, previousX, previousGradient, s, y, rho, alpha, lineSearch } = workspace;

  x.set(x0);
  let value = objective(x, gradient);
  let evaluations = 1;
  let gradientNorm = infinityNorm(gradient);
  let iterations = 0;

  const finish = (status: LbfgsStatus, message: string): LbfgsResult => ({
    x: Float64Array.from(x),
    value,
    gradientNorm,
    iterations,
    evaluations,
    converged: status === 'gradient-tolerance' || status === 'value-tolerance',
    status,
    message,
  });

  if (!Number.isFinite(value) || Number.isNaN(gradientNorm)) {
    return finish('non-finite-start', `the objective is not finite at x0 (value ${value}, gradient norm ${gradientNorm})`);
  }
  if (gradientNorm <= gradientTolerance) {
    return finish('gradient-tolerance', `gradient infinity norm ${gradientNorm} <= ${gradientTolerance} at x0`);
  }

  // Ring buffer of correction pairs: `stored` valid pairs, the newest at index `newest`.
  let stored = 0;
  let newest = -1;
  let gamma = 1;

  while (iterations < maxIterations) {
    if (evaluations >= maxEvaluations) {
      return finish('max-evaluations', `stopped after ${evaluations} objective evaluations (limit ${maxEvaluations})`);
    }

    // Two-loop recursion: direction = −H·gradient with H the L-BFGS inverse-Hessian estimate.
    direction.set(gradient);
    for (let k = 0; k < stored; k++) {
      const slot = (newest - k + memory) % memory;
      const offset = slot * n;
      let sq = 0;
      for (let i = 0; i < n; i++) sq += s[offset + i]! * direction[i]!;
      const a = rho[slot]! * sq;
      alpha[slot] = a;
      for (let i = 0; i < n; i++) direction[i]! -= a * y[offset + i]!;
    }
    for (let i = 0; i < n; i++) direction[i]! *= gamma;
    for (let k = stored - 1; k >= 0; k--) {
      const slot = (newest - k + memory) % memory;
      const offset = slot * n;
      let yr = 0;
      for (let i = 0; i < n; i++) yr += y[offset + i]! * direction[i]!;
      const b = alpha[slot]! - rho[slot]! * yr;
      for (let i = 0; i < n; i++) direction[i]! += b * s[offset + i]!;
    }
    let directionSquared = 0;
    for (let i = 0; i < n; i++) {
      direction[i] = -direction[i]!;
      directionSquared += direction[i]! * direction[i]!;
    }

    // Without curvature information the first step has unit length, as in L-BFGS-B; afterwards the
    // quasi-Newton step of 1 is the natural first trial.
    const initialStep = stored === 0 ? Math.min(1, 1 / Math.sqrt(directionSquared)) : 1;
    previousX.set(x);
    previousGradient.set(gradient);
    const previousValue = value;
    strongWolfeLineSearch(objective, x, value, gradient, direction, initialStep, lineSearchParameters, lineSearch);
    evaluations += lineSearch.evaluations;

    if (lineSearch.status === 'failed') {
      if (stored > 0) {
        // A stale curvature model can point badly; forget it and retry along the steepest descent.
        stored = 0;
        newest = -1;
        gamma = 1;
        continue;
      }
      return finish(
        'line-search-failed',
        `the line search found no decrease along the steepest descent (gradient infinity norm ${gradientNorm}); ` +
          'usually the optimum is already reached to rounding precision or the gradient is wrong',
      );
    }
    iterations++;
    value = lineSearch.value;
    gradientNorm = infinityNorm(gradient);

    // Store the new pair only with positive curvature, which keeps H positive definite.
    let sy = 0;
    let yy = 0;
    const slot = (newest + 1) % memory;
    const offset = slot * n;
    for (let i = 0; i < n; i++) {
      const si = x[i]! - previousX[i]!;
      const yi = gradient[i]! - previousGradient[i]!;
      s[offset + i] = si;
      y[offset + i] = yi;
      sy += si * yi;
      yy += yi * yi;
    }
    if (sy > Number.EPSILON * yy) {
      rho[slot] = 1 / sy;
      newest = slot;
      if (stored < memory) stored++;
      gamma = sy / yy;
    }

    if (gradientNorm <= gradientTolerance) {
      return finish('gradient-tolerance', `gradient infinity norm ${gradientNorm} <= ${gradientTolerance}`);
    }
    const relativeDecrease = (previousValue - value) / Math.max(Math.abs(previousValue), Math.abs(value), 1);
    if (relativeDecrease <= valueTolerance) {
      return finish(
        'value-tolerance',
        `relative decrease ${relativeDecrease} <= ${valueTolerance} (gradient infinity norm ${gradientNorm})`,
      );
    }
  }
  return finish('max-iterations', `stopped after ${iterations} iterations (gradient infinity norm ${gradientNorm})`);
}
