/** A fitted non-decreasing step-linear map: knots x (ascending) and their values y. */
export interface IsotonicFit {
  readonly x: Float64Array;
  readonly y: Float64Array;
}

/** x values closer than this to the first of a run count as one value (numpy float64 resolution, as sklearn). */
const DUPLICATE_RESOLUTION = 1e-15;

/**
 * Pool-adjacent-violators on y in x order with weights w, in place, pooling whole decreasing runs
 * and backtracking (scikit-learn's _inplace_contiguous_isotonic_regression, step for step, so the
 * block means come out with the same rounding).
 */
function poolAdjacentViolators(y: Float64Array, w: Float64Array): void {
  const n = y.length;
  // target[i] = j and target[j] = i for every active block [i..j].
  const target = new Int32Array(n);
  for (let i = 0; i < n; i++) target[i] = i;
  let i = 0;
  while (i < n) {
    let k = target[i]! + 1;
    if (k === n) break;
    if (y[i]! < y[k]!) {
      i = k;
      continue;
    }
    let sumWy = w[i]! * y[i]!;
    let sumW = w[i]!;
    for (;;) {
      const previous = y[k]!;
      sumWy += w[k]! * y[k]!;
      sumW += w[k]!;
      k = target[k]! + 1;
      if (k === n || previous < y[k]!) {
        y[i] = sumWy / sumW;
        w[i] = sumW;
        target[i] = k - 1;
        target[k - 1] = i;
        if (i > 0) i = target[i - 1]!;
        break;
      }
    }
  }
  for (let start = 0; start < n; ) {
    const end = target[start]! + 1;
    y.fill(y[start]!, start + 1, end);
    start = end;
  }
}

/**
 * Isotonic (non-decreasing) regression of y on x with weights, as scikit-learn's
 * IsotonicRegression.fit: rows with zero weight dropped, sorted by (x, y), duplicate x merged
 * into their weighted mean, PAVA, then interior knots whose value equals both neighbours' dropped.
 */
export function fitIsotonicRegression(x: Float64Array, y: Float64Array, weights: Float64Array | null): IsotonicFit {
  const order: number[] = [];
  for (let i = 0; i < x.length; i++) if (weights === null || weights[i]! > 0) order.push(i);
  order.sort((p, q) => x[p]! - x[q]! || y[p]! - y[q]!);
  const n = order.length;
  const ux = new Float64Array(n);
  const uy = new Float64Array(n);
  const uw = new Float64Array(n);
  let unique = 0;
  let currentX = x[order[0]!]!;
  let currentY = 0;
  let currentW = 0;
  for (const i of order) {
    const w = weights === null ? 1 : weights[i]!;
    if (x[i]! - currentX >= DUPLICATE_RESOLUTION) {
      ux[unique] = currentX;
      uw[unique] = currentW;
      uy[unique] = currentY / currentW;
      unique++;
      currentX = x[i]!;
      currentW = w;
      currentY = y[i]! * w;
    } else {
      currentW += w;
      currentY += y[i]! * w;
    }
  }
  ux[unique] = currentX;
  uw[unique] = currentW;
  uy[unique] = currentY / currentW;
  unique++;
  const fx = ux.subarray(0, unique);
  const fy = uy.subarray(0, unique);
  poolAdjacentViolators(fy, uw.subarray(0, unique));
  const keptX: number[] = [];
  const keptY: number[] = [];
  for (let i = 0; i < unique; i++) {
    if (i === 0 || i === unique - 1 || fy[i] !== fy[i - 1] || fy[i] !== fy[i + 1]) {
      keptX.push(fx[i]!);
      keptY.push(fy[i]!);
    }
  }
  return Object.freeze({ x: Float64Array.from(keptX), y: Float64Array.from(keptY) });
}

/**
 * Value of the fit at `value`: clipped to the knot range, then linear between the knots around it
 * (scipy's interp1d arithmetic, which scikit-learn uses, so results agree to the last bit).
 */
export function evaluateIsotonic(fit: IsotonicFit, value: number): number {
  const { x, y } = fit;
  const n = x.length;
  if (n === 1) return y[0]!;
  const v = value < x[0]! ? x[0]! : value > x[n - 1]! ? x[n - 1]! : value;
  // First knot ≥ v (searchsorted, side left), kept inside [1, n − 1].
  let low = 0;
  let high = n;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (x[mid]! < v) low = mid + 1;
    else high = mid;
  }
  const hi = low < 1 ? 1 : low > n - 1 ? n - 1 : low;
  const lo = hi - 1;
  const slope = (y[hi]! - y[lo]!) / (x[hi]! - x[lo]!);
  return slope * (v - x[lo]!) + y[lo]!;
}
