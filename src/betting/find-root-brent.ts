/** Options for {@link findRootBrent}; the defaults are scipy.optimize.brentq's. */
export interface BrentOptions {
  /** Absolute tolerance on the root. */
  readonly xTolerance?: number;
  /** Relative tolerance on the root (not below 4·machine epsilon, where the bracket stops shrinking). */
  readonly relativeTolerance?: number;
  readonly maxIterations?: number;
}

/** Where Brent's method stopped: `converged` is false when maxIterations ran out first. */
export interface BrentResult {
  readonly root: number;
  readonly iterations: number;
  readonly converged: boolean;
}

const MIN_RELATIVE_TOLERANCE = 4 * Number.EPSILON;

/**
 * A root of `f` in [lower, upper] by Brent's method (bisection safeguarding inverse quadratic interpolation),
 * the same algorithm as scipy.optimize.brentq. f(lower) and f(upper) must differ in sign (or one be 0).
 */
export function findRootBrent(
  f: (x: number) => number,
  lower: number,
  upper: number,
  options: BrentOptions = {},
): BrentResult {
  const xTolerance = options.xTolerance ?? 2e-12;
  const relativeTolerance = options.relativeTolerance ?? MIN_RELATIVE_TOLERANCE;
  const maxIterations = options.maxIterations ?? 100;
  if (!(xTolerance > 0) || !(relativeTolerance >= MIN_RELATIVE_TOLERANCE)) {
    throw new RangeError(
      `findRootBrent: need xTolerance > 0 and relativeTolerance >= ${MIN_RELATIVE_TOLERANCE}, got ${xTolerance}, ${relativeTolerance}`,
    );
  }
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new RangeError(`findRootBrent: maxIterations must be an integer >= 1, got ${maxIterations}`);
  }

  let xPrevious = lower;
  let xCurrent = upper;
  let fPrevious = f(xPrevious);
  let fCurrent = f(xCurrent);
  if (Number.isNaN(fPrevious) || Number.isNaN(fCurrent)) {
    throw new RangeError(`findRootBrent: f is NaN at an end of [${lower}, ${upper}]`);
  }
  if (fPrevious === 0) return { root: xPrevious, iterations: 0, converged: true };
  if (fCurrent === 0) return { root: xCurrent, iterations: 0, converged: true };
  if (Math.sign(fPrevious) === Math.sign(fCurrent)) {
    throw new RangeError(
      `findRootBrent: f(${lower}) = ${fPrevious} and f(${upper}) = ${fCurrent} have the same sign; no root is bracketed`,
    );
  }

  // xBlock is the other end of the current bracket; stepPrevious/stepCurrent are the last two step sizes.
  let xBlock = 0;
  let fBlock = 0;
  let stepPrevious = 0;
  let stepCurrent = 0;
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    if (fPrevious !== 0 && fCurrent !== 0 && Math.sign(fPrevious) !== Math.sign(fCurrent)) {
      xBlock = xPrevious;
      fBlock = fPrevious;
      stepPrevious = xCurrent - xPrevious;
      stepCurrent = stepPrevious;
    }
    // Keep xCurrent as the end with the smaller |f|: it is the best estimate so far.
    if (Math.abs(fBlock) < Math.abs(fCurrent)) {
      xPrevious = xCurrent;
      xCurrent = xBlock;
      xBlock = xPrevious;
      fPrevious = fCurrent;
      fCurrent = fBlock;
      fBlock = fPrevious;
    }
    const delta = (xTolerance + relativeTolerance * Math.abs(xCurrent)) / 2;
    const bisection = (xBlock - xCurrent) / 2;
    if (fCurrent === 0 || Math.abs(bisection) < delta) {
      return { root: xCurrent, iterations: iteration, converged: true };
    }
    let interpolated = false;
    if (Math.abs(stepPrevious) > delta && Math.abs(fCurrent) < Math.abs(fPrevious)) {
      let trial: number;
      if (xPrevious === xBlock) {
        trial = (-fCurrent * (xCurrent - xPrevious)) / (fCurrent - fPrevious);
      } else {
        const slopePrevious = (fPrevious - fCurrent) / (xPrevious - xCurrent);
        const slopeBlock = (fBlock - fCurrent) / (xBlock - xCurrent);
        trial =
          (-fCurrent * (fBlock * slopeBlock - fPrevious * slopePrevious)) /
          (slopeBlock * slopePrevious * (fBlock - fPrevious));
      }
      // Accept the interpolation only if it shrinks the step fast enough; otherwise bisect.
      if (2 * Math.abs(trial) < Math.min(Math.abs(stepPrevious), 3 * Math.abs(bisection) - delta)) {
        stepPrevious = stepCurrent;
        stepCurrent = trial;
        interpolated = true;
      }
    }
    if (!interpolated) {
      stepPrevious = bisection;
      stepCurrent = bisection;
    }
    xPrevious = xCurrent;
    fPrevious = fCurrent;
    xCurrent += Math.abs(stepCurrent) > delta ? stepCurrent : bisection > 0 ? delta : -delta;
    fCurrent = f(xCurrent);
    if (Number.isNaN(fCurrent)) throw new RangeError(`findRootBrent: f(${xCurrent}) is NaN`);
  }
  return { root: xCurrent, iterations: maxIterations, converged: false };
}
