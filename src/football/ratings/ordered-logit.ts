import { minimizeLbfgs, type LbfgsStatus } from '../../numeric/lbfgs.js';
import { neumaierSum } from '../../numeric/neumaier-sum.js';
import type { OneXTwoProbabilities } from '../football-match.js';

/** Fitting controls; the defaults agree with scipy's optimum to ~1e-8 in every parameter. */
export interface OrderedLogitFitOptions {
  /** Features per match (columns of the row-major feature matrix), default 1. */
  readonly featureCount?: number;
  /** L-BFGS iteration limit (default 500). */
  readonly maxIterations?: number;
  /**
   * Stop when the mean negative log-likelihood's gradient (standardised features) is below this
   * (default 1e-8; much tighter runs into rounding of the objective and ends in a failed line search).
   */
  readonly gradientTolerance?: number;
}

/** log σ(z) without overflow for large |z|. */
function logSigmoid(z: number): number {
  return z < 0 ? z - Math.log1p(Math.exp(z)) : -Math.log1p(Math.exp(-z));
}

/** σ(z) without overflow for large |z|. */
function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/**
 * log(σ(a) − σ(b)) for a > b, as log σ(a) + log σ(−b) + log(1 − e^{−(a−b)}): the direct
 * difference cancels to 0 when both sit near 1, which would make a confident draw impossible.
 */
function logSigmoidGap(a: number, b: number): number {
  return logSigmoid(a) + logSigmoid(-b) + Math.log(-Math.expm1(b - a));
}

/** Maps the football outcome code (0 home, 1 draw, 2 away) to the latent order (0 away < 1 draw < 2 home). */
const LATENT_RANK = [2, 1, 0] as const;

/**
 * Ordered logit (proportional odds) for 1X2: a latent home-strength β·x against two cut-points,
 * P(away) = σ(θ₁ − β·x), P(away or draw) = σ(θ₂ − β·x), θ₁ < θ₂. Outcomes use the project's
 * `OneXTwoOutcome` code (0 home, 1 draw, 2 away), so a larger β·x favours the home side.
 */
export class OrderedLogit {
  /** θ₁ < θ₂ on the scale of the raw features. */
  readonly cutPoints: readonly [number, number];
  /** β, one per feature, on the scale of the raw features. */
  readonly coefficients: readonly number[];
  /** Total log-likelihood of the training rows at the fitted parameters (NaN when built from parameters). */
  readonly logLikelihood: number;
  /** Rows the model was fitted on (0 when built from parameters). */
  readonly rows: number;
  /** True when L-BFGS met its tolerance. */
  readonly converged: boolean;
  /** Why the optimiser stopped (`gradient-tolerance` when built from parameters). */
  readonly status: LbfgsStatus;
  /** Infinity norm of the mean log-likelihood's gradient (standardised features) where the fit stopped. */
  readonly gradientNorm: number;

  private constructor(
    cutPoints: readonly [number, number],
    coefficients: readonly number[],
    fit: { logLikelihood: number; rows: number; converged: boolean; status: LbfgsStatus; gradientNorm: number },
  ) {
    if (!(cutPoints[0] < cutPoints[1])) throw new RangeError(`Cut-points must increase, got ${cutPoints[0]}, ${cutPoints[1]}`);
    for (const value of [...cutPoints, ...coefficients]) {
      if (!Number.isFinite(value)) throw new RangeError(`Ordered-logit parameters must be finite, got ${value}`);
    }
    this.cutPoints = Object.freeze([cutPoints[0], cutPoints[1]] as const);
    this.coefficients = Object.freeze([...coefficients]);
    this.logLikelihood = fit.logLikelihood;
    this.rows = fit.rows;
    this.converged = fit.converged;
    this.status = fit.status;
    this.gradientNorm = fit.gradientNorm;
  }

  /** A model with given parameters (e.g. loaded from a stored model version). */
  static fromParameters(cutPoints: readonly [number, number], coefficients: readonly number[]): OrderedLogit {
    return new OrderedLogit(cutPoints, coefficients, {
      logLikelihood: Number.NaN,
      rows: 0,
      converged: true,
      status: 'gradient-tolerance',
      gradientNorm: 0,
    });
  }

  /**
   * Maximum-likelihood fit on a row-major n × p feature matrix and n outcomes (0 home, 1 draw,
   * 2 away), by L-BFGS with the analytic gradient. Cut-points are parametrised θ₂ = θ₁ + e^δ so
   * they can never cross; features are standardised internally for conditioning and the
   * parameters mapped back, which leaves the likelihood unchanged.
   */
  static fit(features: Float64Array, outcomes: Int32Array, options: OrderedLogitFitOptions = {}): OrderedLogit {
    const p = options.featureCount ?? 1;
    const n = outcomes.length;
    if (!Number.isInteger(p) || p < 1) throw new RangeError(`featureCount must be a positive integer, got ${p}`);
    if (features.length !== n * p) throw new RangeError(`features has ${features.length} values, expected ${n} rows × ${p}`);
    const counts = [0, 0, 0];
    const ranks = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const outcome = outcomes[i]!;
      if (outcome !== 0 && outcome !== 1 && outcome !== 2) throw new RangeError(`Row ${i}: outcome ${outcome} is not 0, 1 or 2`);
      ranks[i] = LATENT_RANK[outcome];
      counts[outcome]!++;
    }
    const names = ['home win', 'draw', 'away win'];
    for (let k = 0; k < 3; k++) {
      if (counts[k] === 0) throw new RangeError(`No ${names[k]} among the ${n} training rows: the cut-points are not identifiable`);
    }

    // Standardise each column once; one buffer for the whole fit.
    const means = new Float64Array(p);
    const scales = new Float64Array(p);
    const z = new Float64Array(n * p);
    for (let k = 0; k < p; k++) {
      let mean = 0;
      for (let i = 0; i < n; i++) {
        const value = features[i * p + k]!;
        if (!Number.isFinite(value)) throw new RangeError(`Row ${i}: feature ${k} is ${value}`);
        mean += value;
      }
      mean /= n;
      let variance = 0;
      for (let i = 0; i < n; i++) {
        const gap = features[i * p + k]! - mean;
        variance += gap * gap;
      }
      const scale = Math.sqrt(variance / n);
      if (!(scale > 0)) throw new RangeError(`Feature ${k} is constant over the training rows: its coefficient is not identifiable`);
      means[k] = mean;
      scales[k] = scale;
      for (let i = 0; i < n; i++) z[i * p + k] = (features[i * p + k]! - mean) / scale;
    }

    // Parameters u = [θ₁, δ, b₁ … b_p] on the standardised scale; objective = mean negative log-likelihood.
    const rowLogLikelihood = new Float64Array(n);
    const objective = (u: Float64Array, gradient: Float64Array): number => {
      const theta1 = u[0]!;
      const gap = Math.exp(u[1]!);
      const theta2 = theta1 + gap;
      if (!Number.isFinite(theta2) || gap === 0) return Number.POSITIVE_INFINITY;
      const inverseExpm1Gap = 1 / Math.expm1(gap);
      let gradTheta1 = 0;
      let gradTheta2 = 0;
      for (let k = 0; k < p; k++) gradient[2 + k] = 0;
      for (let i = 0; i < n; i++) {
        let eta = 0;
        for (let k = 0; k < p; k++) eta += u[2 + k]! * z[i * p + k]!;
        const a = theta2 - eta;
        const b = theta1 - eta;
        let dEta: number;
        const rank = ranks[i]!;
        if (rank === 0) {
          rowLogLikelihood[i] = logSigmoid(b);
          const dB = sigmoid(-b);
          gradTheta1 += dB;
          dEta = -dB;
        } else if (rank === 2) {
          rowLogLikelihood[i] = logSigmoid(-a);
          const dA = -sigmoid(a);
          gradTheta2 += dA;
          dEta = -dA;
        } else {
          rowLogLikelihood[i] = logSigmoidGap(a, b);
          const dA = sigmoid(-a) + inverseExpm1Gap;
          const dB = -sigmoid(b) - inverseExpm1Gap;
          gradTheta2 += dA;
          gradTheta1 += dB;
          dEta = -(dA + dB);
        }
        for (let k = 0; k < p; k++) gradient[2 + k] = gradient[2 + k]! - dEta * z[i * p + k]!;
      }
      gradient[0] = -(gradTheta1 + gradTheta2) / n;
      gradient[1] = (-gradTheta2 * gap) / n;
      for (let k = 0; k < p; k++) gradient[2 + k] = gradient[2 + k]! / n;
      return -neumaierSum(rowLogLikelihood) / n;
    };

    // Start from the outcome shares with no feature effect: a point with finite likelihood.
    const start = new Float64Array(2 + p);
    const awayShare = counts[2]! / n;
    const awayOrDrawShare = (counts[2]! + counts[1]!) / n;
    start[0] = Math.log(awayShare / (1 - awayShare));
    start[1] = Math.log(Math.log(awayOrDrawShare / (1 - awayOrDrawShare)) - start[0]);
    const result = minimizeLbfgs(objective, start, {
      maxIterations: options.maxIterations ?? 500,
      gradientTolerance: options.gradientTolerance ?? 1e-8,
      valueTolerance: 1e-15,
    });

    // Back to raw features: θ − b·(x − m)/s = (θ + Σ b m/s) − Σ (b/s)·x.
    const u = result.x;
    let shift = 0;
    const coefficients: number[] = [];
    for (let k = 0; k < p; k++) {
      coefficients.push(u[2 + k]! / scales[k]!);
      shift += (u[2 + k]! * means[k]!) / scales[k]!;
    }
    const theta1 = u[0]!;
    const theta2 = theta1 + Math.exp(u[1]!);
    return new OrderedLogit([theta1 + shift, theta2 + shift], coefficients, {
      logLikelihood: -result.value * n,
      rows: n,
      converged: result.converged,
      status: result.status,
      gradientNorm: result.gradientNorm,
    });
  }

  /** Home/draw/away probabilities for one match's features (a number when there is one feature). */
  probabilities(features: number | ArrayLike<number>): OneXTwoProbabilities {
    const row = typeof features === 'number' ? [features] : features;
    if (row.length !== this.coefficients.length) {
      throw new RangeError(`Expected ${this.coefficients.length} feature(s), got ${row.length}`);
    }
    return this.#fromLinearPredictor(this.#linearPredictor(row, 0));
  }

  /** Row-major n × 3 probabilities (home, draw, away, the metrics' order) for a row-major n × p feature matrix. */
  predictInto(features: Float64Array, out?: Float64Array): Float64Array {
    const p = this.coefficients.length;
    if (features.length % p !== 0) throw new RangeError(`features has ${features.length} values, not whole rows of ${p}`);
    const n = features.length / p;
    const result = out ?? new Float64Array(n * 3);
    if (result.length !== n * 3) throw new RangeError(`out has length ${result.length}, expected ${n * 3}`);
    const [theta1, theta2] = this.cutPoints;
    for (let i = 0; i < n; i++) {
      const eta = this.#linearPredictor(features, i * p);
      result[i * 3] = sigmoid(eta - theta2);
      result[i * 3 + 1] = Math.exp(logSigmoidGap(theta2 - eta, theta1 - eta));
      result[i * 3 + 2] = sigmoid(theta1 - eta);
    }
    return result;
  }

  #linearPredictor(features: ArrayLike<number>, offset: number): number {
    const coefficients = this.coefficients;
    let eta = 0;
    for (let k = 0; k < coefficients.length; k++) eta += coefficients[k]! * features[offset + k]!;
    return eta;
  }

  #fromLinearPredictor(eta: number): OneXTwoProbabilities {
    const [theta1, theta2] = this.cutPoints;
    return {
      home: sigmoid(eta - theta2),
      draw: Math.exp(logSigmoidGap(theta2 - eta, theta1 - eta)),
      away: sigmoid(theta1 - eta),
    };
  }
}
