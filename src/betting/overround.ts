/**
 * Bookmaker overround (margin) removal: turns one book of decimal odds into probabilities that sum to 1.
 * Definitions follow the `implied` R package and penaltyblog, so results can be compared with theirs.
 */
import { findRootBrent } from './find-root-brent.js';

/**
 * multiplicative: scale every implied probability down by the same factor (the margin sits evenly in proportion).
 * additive: subtract the same amount from every implied probability (the margin sits evenly in absolute terms).
 * power: raise every implied probability to one power k > 1, which takes more margin off long shots.
 * shin: Shin's model, where the bookmaker guards against a share z of insider money; margin falls mostly on long shots.
 * odds-ratio: divide every outcome's odds ratio by one constant c (Cheung 2015); also loads long shots more.
 */
export const OVERROUND_METHODS = ['multiplicative', 'additive', 'power', 'shin', 'odds-ratio'] as const;
/** One of OVERROUND_METHODS. */
export type OverroundMethod = (typeof OVERROUND_METHODS)[number];

const methodSet: ReadonlySet<string> = new Set(OVERROUND_METHODS);

/** True when `value` is one of OVERROUND_METHODS. */
export function isOverroundMethod(value: string): value is OverroundMethod {
  return methodSet.has(value);
}

/** Why a book was rejected: a caller can tell bad data from an arbitrage book. */
export const OVERROUND_ERROR_REASONS = ['too-few-outcomes', 'invalid-odds', 'arbitrage', 'unknown-method'] as const;
/** One of OVERROUND_ERROR_REASONS. */
export type OverroundErrorReason = (typeof OVERROUND_ERROR_REASONS)[number];

/** A book that has no margin to remove, or is not a book of decimal odds at all. */
export class OverroundError extends RangeError {
  readonly reason: OverroundErrorReason;

  constructor(reason: OverroundErrorReason, message: string) {
    super(message);
    this.name = 'OverroundError';
    this.reason = reason;
  }
}

/** Margin-free probabilities of one book, with what the method had to solve for. */
export interface OverroundResult {
  /** One probability per outcome, in the order of the odds given; they sum to 1 (to the solver's tolerance). */
  readonly probabilities: number[];
  /** The bookmaker's margin: Σ 1/odds − 1. */
  readonly overround: number;
  readonly method: OverroundMethod;
  /**
   * multiplicative: the booksum Σ 1/odds everything was divided by; additive: the amount subtracted from each
   * (unclipped) implied probability; power: the exponent k; shin: the insider share z; odds-ratio: the constant c.
   */
  readonly parameter: number;
  /** False only when the root finder ran out of iterations; the closed-form methods always converge. */
  readonly converged: boolean;
  /**
   * Additive only: indices of long shots whose implied probability was smaller than the margin share. They get
   * probability 0 and the margin is spread over the remaining outcomes instead, so nothing comes out negative.
   */
  readonly clippedOutcomes: number[];
}

/** Raw implied probabilities 1/odds of a book, with their sum and the margin. */
export interface ImpliedBook {
  readonly implied: number[];
  readonly bookSum: number;
  readonly overround: number;
}

// Tight enough that the probabilities are exact to ~1e-15; the functions are smooth and monotone, so Brent gets
// there in a handful of evaluations anyway.
const ROOT_OPTIONS = { xTolerance: 1e-15, relativeTolerance: 4 * Number.EPSILON, maxIterations: 200 } as const;
const MAX_BRACKET_DOUBLINGS = 64;
// Rounding in Σ 1/odds alone is a few ulps; a real margin is at least a fraction of a percent.
const NO_MARGIN_TOLERANCE = 1e-12;
/** The parameter of each method when there is no margin to remove. */
const NEUTRAL_PARAMETER: Readonly<Record<OverroundMethod, number>> = Object.freeze({
  multiplicative: 1,
  additive: 0,
  power: 1,
  shin: 0,
  'odds-ratio': 1,
});

/** Implied probabilities 1/odds of a book and its overround, after validating the odds. */
export function impliedProbabilitiesFromBook(decimalOdds: readonly number[]): ImpliedBook {
  if (decimalOdds.length < 2) {
    throw new OverroundError(
      'too-few-outcomes',
      `A book needs at least 2 outcomes, got ${decimalOdds.length}`,
    );
  }
  const implied: number[] = [];
  let bookSum = 0;
  for (let i = 0; i < decimalOdds.length; i++) {
    const odds = decimalOdds[i]!;
    if (!Number.isFinite(odds) || odds <= 1) {
      throw new OverroundError(
        'invalid-odds',
        `Decimal odds must be finite and > 1, got ${odds} for outcome ${i}`,
      );
    }
    implied.push(1 / odds);
    bookSum += 1 / odds;
  }
  return { implied, bookSum, overround: bookSum - 1 };
}

/**
 * Removes the bookmaker's margin from one book of decimal odds (2-way, 3-way or more) by `method`.
 * Throws OverroundError for fewer than 2 outcomes, odds ≤ 1 or non-finite, and for an arbitrage book
 * (Σ 1/odds < 1), which has no margin to remove. A book within 1e-12 of no margin comes back unchanged.
 */
export function removeOverround(decimalOdds: readonly number[], method: OverroundMethod): OverroundResult {
  if (!isOverroundMethod(method)) {
    throw new OverroundError(
      'unknown-method',
      `Unknown overround method "${String(method)}"; use one of ${OVERROUND_METHODS.join(', ')}`,
    );
  }
  const { implied, bookSum, overround } = impliedProbabilitiesFromBook(decimalOdds);
  if (bookSum < 1 - NO_MARGIN_TOLERANCE) {
    throw new OverroundError(
      'arbitrage',
      `The book is an arbitrage (Σ 1/odds = ${bookSum} < 1): there is no margin to remove`,
    );
  }
  const pi = Float64Array.from(implied);
  if (bookSum <= 1 + NO_MARGIN_TOLERANCE) {
    // A fair book (six outcomes at 6.0 sum to 0.9999999999999999): every method leaves it as it is, and the
    // root finders would see no sign change to bracket.
    return result(method, overround, multiplicative(pi, bookSum), NEUTRAL_PARAMETER[method], true, []);
  }
  switch (method) {
    case 'multiplicative':
      return result(method, overround, multiplicative(pi, bookSum), bookSum, true, []);
    case 'additive':
      return additive(pi, bookSum);
    case 'power':
      return solved(method, overround, pi, powerSum, 1, expandUpward(pi, powerSum, 1), powerProbabilities);
    case 'shin': {
      const q = new Float64Array(pi.length);
      for (let i = 0; i < pi.length; i++) q[i] = (pi[i]! * pi[i]!) / bookSum;
      return solved(method, overround, q, shinSum, 0, expandTowardOne(q, shinSum), shinProbabilities);
    }
    case 'odds-ratio':
      return solved(
        method,
        overround,
        pi,
        oddsRatioSum,
        1,
        expandUpward(pi, oddsRatioSum, 1),
        oddsRatioProbabilities,
      );
  }
}

function result(
  method: OverroundMethod,
  overround: number,
  probabilities: Float64Array,
  parameter: number,
  converged: boolean,
  clippedOutcomes: number[],
): OverroundResult {
  return { probabilities: Array.from(probabilities), overround, method, parameter, converged, clippedOutcomes };
}

function multiplicative(pi: Float64Array, bookSum: number): Float64Array {
  const out = new Float64Array(pi.length);
  for (let i = 0; i < pi.length; i++) out[i] = pi[i]! / bookSum;
  return out;
}

function additive(pi: Float64Array, bookSum: number): OverroundResult {
  const n = pi.length;
  const out = new Float64Array(n);
  const active = new Uint8Array(n).fill(1);
  const clipped: number[] = [];
  let activeCount = n;
  let activeSum = bookSum;
  let margin = (activeSum - 1) / activeCount;
  // Each pass drops the outcomes the margin share would push below 0; the share then grows, so repeat until
  // none drop. It ends with at least one outcome, since a lone outcome gets exactly 1.
  for (;;) {
    let dropped = false;
    for (let i = 0; i < n; i++) {
      if (active[i] === 1 && pi[i]! - margin < 0) {
        active[i] = 0;
        activeCount--;
        activeSum -= pi[i]!;
        clipped.push(i);
        dropped = true;
      }
    }
    if (!dropped) break;
    margin = (activeSum - 1) / activeCount;
  }
  for (let i = 0; i < n; i++) out[i] = active[i] === 1 ? pi[i]! - margin : 0;
  clipped.sort((a, b) => a - b);
  return result('additive', bookSum - 1, out, margin, true, clipped);
}

/** Σ π_i^k − 1: positive at k = 1 for a book with a margin, falling to −1 as k grows. */
function powerSum(pi: Float64Array, k: number): number {
  let sum = -1;
  for (let i = 0; i < pi.length; i++) sum += Math.pow(pi[i]!, k);
  return sum;
}

function powerProbabilities(pi: Float64Array, k: number, out: Float64Array): void {
  for (let i = 0; i < pi.length; i++) out[i] = Math.pow(pi[i]!, k);
}

function shinProbability(piSquaredOverBookSum: number, z: number): number {
  return (Math.sqrt(z * z + 4 * (1 - z) * piSquaredOverBookSum) - z) / (2 * (1 - z));
}

/** Σ p_i(z) − 1 under Shin, given q_i = π_i²/booksum: sqrt(booksum) − 1 ≥ 0 at z = 0, → Σq − 1 < 0 as z → 1. */
function shinSum(q: Float64Array, z: number): number {
  let sum = -1;
  for (let i = 0; i < q.length; i++) sum += shinProbability(q[i]!, z);
  return sum;
}

function shinProbabilities(q: Float64Array, z: number, out: Float64Array): void {
  for (let i = 0; i < q.length; i++) out[i] = shinProbability(q[i]!, z);
}

/** Σ π_i / (c + π_i − c·π_i) − 1: the booksum − 1 at c = 1, falling towards −1 as c grows. */
function oddsRatioSum(pi: Float64Array, c: number): number {
  let sum = -1;
  for (let i = 0; i < pi.length; i++) sum += pi[i]! / (c + pi[i]! - c * pi[i]!);
  return sum;
}

function oddsRatioProbabilities(pi: Float64Array, c: number, out: Float64Array): void {
  for (let i = 0; i < pi.length; i++) out[i] = pi[i]! / (c + pi[i]! - c * pi[i]!);
}

/** An upper end above `lower` where `sum` is negative, by doubling the distance from `lower`. */
function expandUpward(pi: Float64Array, sum: (pi: Float64Array, x: number) => number, lower: number): number {
  let width = 1;
  for (let step = 0; step < MAX_BRACKET_DOUBLINGS; step++) {
    if (sum(pi, lower + width) < 0) return lower + width;
    width *= 2;
  }
  throw new OverroundError('invalid-odds', 'Could not bracket the overround parameter; are the odds extreme?');
}

/** An upper end in (0, 1) where Shin's sum is negative: z near 1 is only needed for absurd margins. */
function expandTowardOne(q: Float64Array, sum: (q: Float64Array, z: number) => number): number {
  let gap = 0.5;
  // Stop well short of 1, where sqrt(z² + …) − z loses every significant digit.
  while (gap > 1e-8) {
    if (sum(q, 1 - gap) < 0) return 1 - gap;
    gap /= 4;
  }
  throw new OverroundError('invalid-odds', 'Could not bracket Shin z below 1; is the margin absurdly large?');
}

/** Solves sum(data, x) = 0 for x in [lower, upper] and turns the root into probabilities. */
function solved(
  method: OverroundMethod,
  overround: number,
  data: Float64Array,
  sum: (data: Float64Array, x: number) => number,
  lower: number,
  upper: number,
  probabilities: (data: Float64Array, x: number, out: Float64Array) => void,
): OverroundResult {
  const root = findRootBrent((x) => sum(data, x), lower, upper, ROOT_OPTIONS);
  const out = new Float64Array(data.length);
  probabilities(data, root.root, out);
  return result(method, overround, out, root.root, root.converged, []);
}
