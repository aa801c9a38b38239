/** An objective that writes its gradient at `x` into `gradient` and returns its value there. */
export type Objective = (x: Float64Array, gradient: Float64Array) => number;

/** How a line search ended. */
export const LINE_SEARCH_STATUSES = [
  /** Both strong-Wolfe conditions hold at the returned step. */
  'wolfe',
  /** Only sufficient decrease holds: the bracket shrank to rounding level or the evaluation budget ran out after progress. */
  'decrease-only',
  /** No step with sufficient decrease was found. */
  'failed',
] as const;
/** One of LINE_SEARCH_STATUSES. */
export type LineSearchStatus = (typeof LINE_SEARCH_STATUSES)[number];

/** True when `value` is one of LINE_SEARCH_STATUSES. */
export function isLineSearchStatus(value: unknown): value is LineSearchStatus {
  return (LINE_SEARCH_STATUSES as readonly unknown[]).includes(value);
}

/** Buffers and outputs of one line search, allocated once and reused by every call. */
export interface LineSearchState {
  /** Trial point and its gradient (scratch). */
  readonly trialX: Float64Array;
  readonly trialGradient: Float64Array;
  /** Gradient at the lowest sufficient-decrease point seen so far (scratch). */
  readonly lowGradient: Float64Array;
  /** Outputs: accepted step, value there, evaluations spent, and how it ended. Point and gradient land in `x`/`gradient` passed in. */
  step: number;
  value: number;
  evaluations: number;
  status: LineSearchStatus;
}

/** Allocates the buffers of a line search in `n` dimensions. */
export function createLineSearchState(n: number): LineSearchState {
  return {
    trialX: new Float64Array(n),
    trialGradient: new Float64Array(n),
    lowGradient: new Float64Array(n),
    step: 0,
    value: Number.NaN,
    evaluations: 0,
    status: 'failed',
  };
}

/** Parameters of the strong-Wolfe conditions and the evaluation budget. */
export interface LineSearchParameters {
  /** Sufficient-decrease constant c1 (Armijo). */
  readonly c1: number;
  /** Curvature constant c2; 0.9 suits quasi-Newton directions. */
  readonly c2: number;
  /** Largest number of objective evaluations per search. */
  readonly maxEvaluations: number;
}

/**
 * Minimiser of the cubic through (a, fa, da) and (b, fb, db); NaN when it does not exist.
 * Nocedal & Wright (3.59), written so it works for a > b as well as a < b.
 */
function cubicMinimizer(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  const d1 = da + db - (3 * (fa - fb)) / (a - b);
  const discriminant = d1 * d1 - da * db;
  if (!(discriminant >= 0)) return Number.NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(discriminant);
  return b - ((b - a) * (db + d2 - d1)) / (db - da + 2 * d2);
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

/**
 * Strong-Wolfe line search along `direction` from (`x`, `value`, `gradient`): bracketing, then
 * zoom by safeguarded cubic interpolation (Nocedal & Wright, algorithms 3.5 and 3.6).
 *
 * On success `x` and `gradient` are overwritten with the accepted point and its gradient and
 * `state` holds the step and value; on 'failed' they are left untouched. A non-finite value at a
 * trial point (outside the objective's domain) counts as "too far" and the step is cut back.
 */
export function strongWolfeLineSearch(
  objective: Objective,
  x: Float64Array,
  value: number,
  gradient: Float64Array,
  direction: Float64Array,
  initialStep: number,
  parameters: LineSearchParameters,
  state: LineSearchState,
): void {
  const n = x.length;
  const { c1, c2, maxEvaluations } = parameters;
  const { trialX, trialGradient, lowGradient } = state;
  const slope0 = dot(gradient, direction);
  state.evaluations = 0;
  state.status = 'failed';
  state.step = 0;
  state.value = value;
  if (!(slope0 < 0)) return;

  // `low` is always the best sufficient-decrease step so far (step 0 to start with); `high` the other end.
  let low = 0;
  let lowValue = value;
  let lowSlope = slope0;
  let high = Number.NaN;
  let highValue = Number.NaN;
  let highSlope = Number.NaN;
  let bracketed = false;
  let step = initialStep;
  let directionNorm = 0;
  for (let i = 0; i < n; i++) directionNorm = Math.max(directionNorm, Math.abs(direction[i]!));
  let xNorm = 0;
  for (let i = 0; i < n; i++) xNorm = Math.max(xNorm, Math.abs(x[i]!));

  while (state.evaluations < maxEvaluations) {
    for (let i = 0; i < n; i++) trialX[i] = x[i]! + step * direction[i]!;
    const trialValue = objective(trialX, trialGradient);
    state.evaluations++;
    const finite = Number.isFinite(trialValue);
    const trialSlope = finite ? dot(trialGradient, direction) : Number.NaN;

    if (!finite || trialValue > value + c1 * step * slope0 || trialValue >= lowValue) {
      // Too far: the minimiser lies between `low` and this step.
      high = step;
      highValue = trialValue;
      highSlope = trialSlope;
      bracketed = true;
    } else {
      if (Math.abs(trialSlope) <= -c2 * slope0) {
        for (let i = 0; i < n; i++) {
          x[i] = trialX[i]!;
          gradient[i] = trialGradient[i]!;
        }
        state.step = step;
        state.value = trialValue;
        state.status = 'wolfe';
        return;
      }
      // Sufficient decrease but still steep: keep it as the new low end; the minimiser lies
      // beyond it (slope < 0) or back towards the old low end (slope > 0).
      if (bracketed && trialSlope * (high - low) >= 0) {
        high = low;
        highValue = lowValue;
        highSlope = lowSlope;
      } else if (!bracketed && trialSlope >= 0) {
        high = low;
        highValue = lowValue;
        highSlope = lowSlope;
        bracketed = true;
      }
      low = step;
      lowValue = trialValue;
      lowSlope = trialSlope;
      lowGradient.set(trialGradient);
    }

    if (bracketed) {
      const width = Math.abs(high - low);
      // The bracket is below what x can resolve: further trials would evaluate the same point.
      if (width * directionNorm <= 1e-16 * Math.max(1, xNorm) || width <= 1e-20) break;
      let next = Number.isFinite(highValue) ? cubicMinimizer(low, lowValue, lowSlope, high, highValue, highSlope) : Number.NaN;
      // Stay at least 10% inside the bracket so it shrinks geometrically; bisect when the cubic is unusable.
      const lower = Math.min(low, high) + 0.1 * width;
      const upper = Math.max(low, high) - 0.1 * width;
      if (!(next >= lower && next <= upper)) next = 0.5 * (low + high);
      step = next;
    } else {
      // Still descending at `low` (= this step): extrapolate to the minimiser of the cubic through
      // step 0 and here, kept between 1.1x and 4x; 4x when that cubic has no minimiser further out.
      const cubic = cubicMinimizer(0, value, slope0, low, lowValue, lowSlope);
      step = cubic > low ? Math.min(Math.max(cubic, 1.1 * low), 4 * low) : 4 * low;
    }
  }

  if (low > 0) {
    for (let i = 0; i < n; i++) x[i]! += low * direction[i]!;
    gradient.set(lowGradient);
    state.step = low;
    state.value = lowValue;
    state.status = 'decrease-only';
  }
}
