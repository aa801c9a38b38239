/**
 * The score grid: one matrix P(home goals = i, away goals = j) from which every market is derived,
 * so 1X2, totals, Asian handicaps, BTTS and exact scores agree with each other by construction.
 */
import { poissonPmfInto } from '../numeric/poisson.js';

/** Options for {@link ScoreGrid.fromRates}. */
export interface ScoreGridOptions {
  /** Dixon-Coles low-score dependence; 0 (default) means independent Poisson goals. */
  readonly rho?: number;
  /** Largest goal count per team kept in the grid (default 10); mass beyond it is dropped and the rest renormalised. */
  readonly maxGoals?: number;
}

/** 1X2 (match result) probabilities. */
export interface OneXTwo {
  readonly home: number;
  readonly draw: number;
  readonly away: number;
}

/** Expected goals of each team under the (truncated, renormalised) grid. */
export interface ExpectedGoals {
  readonly home: number;
  readonly away: number;
}

/**
 * How one side of a two-way bet settles, as probabilities summing to 1.
 * win: the whole stake wins at the odds; halfWin: half wins, half is refunded (quarter lines only);
 * push: the stake is refunded; halfLose: half is lost, half refunded (quarter lines only); lose: the stake is lost.
 */
export interface SettlementProbabilities {
  readonly win: number;
  readonly halfWin: number;
  readonly push: number;
  readonly halfLose: number;
  readonly lose: number;
}

/** Over/under settlement at one total-goals line (half, whole or quarter). */
export interface TotalGoalsMarket {
  readonly line: number;
  readonly over: SettlementProbabilities;
  readonly under: SettlementProbabilities;
}

/** Asian handicap settlement at one home line (−0.75 = home gives 0.75 goals); the away side gets −homeLine. */
export interface AsianHandicapMarket {
  readonly homeLine: number;
  readonly home: SettlementProbabilities;
  readonly away: SettlementProbabilities;
}

/** Both teams to score. */
export interface BothTeamsToScore {
  readonly yes: number;
  readonly no: number;
}

/** One exact score and its probability. */
export interface ExactScore {
  readonly homeGoals: number;
  readonly awayGoals: number;
  readonly probability: number;
}

/** P(home goals − away goals = minDifference + k) at index k. */
export interface GoalDifferenceDistribution {
  readonly minDifference: number;
  readonly probabilities: Float64Array;
}

const DEFAULT_MAX_GOALS = 10;
// Beyond this the grid is numerical noise for any football rate, and size² cells start to cost real memory.
const MAX_MAX_GOALS = 200;

/** Adds `value` to a Neumaier running sum held in `state` at [at] (sum) and [at + 1] (compensation). */
function neumaierAdd(state: Float64Array, at: number, value: number): void {
  const sum = state[at]!;
  const next = sum + value;
  // Keep the low-order bits lost by whichever operand is smaller in magnitude.
  state[at + 1]! += Math.abs(sum) >= Math.abs(value) ? sum - next + value : value - next + sum;
  state[at] = next;
}

function assertRate(name: string, rate: number): void {
  if (!Number.isFinite(rate) || rate < 0) {
    throw new RangeError(`ScoreGrid: ${name} must be a finite number >= 0 (expected goals), got ${rate}`);
  }
}

function assertQuarterLine(what: string, line: number): void {
  if (!Number.isFinite(line) || !Number.isInteger(line * 4)) {
    throw new RangeError(`ScoreGrid: ${what} must be a multiple of 0.25 (e.g. 2.5, 2, 2.25), got ${line}`);
  }
}

function assertDecimalOdds(what: string, odds: number): void {
  if (!Number.isFinite(odds) || odds <= 1) {
    throw new RangeError(`ScoreGrid: ${what} must be decimal odds > 1, got ${odds}`);
  }
}

/**
 * Settlement of the side that wins when x exceeds `line`, for x distributed as `distribution[k]` at x = offset + k.
 * A quarter line splits the stake over line ± 0.25; scoring each half as +1/0/−1 makes the sum of the two halves
 * +2 win, +1 half win, 0 push, −1 half lose, −2 lose. A half or whole line is the same split with both halves equal.
 */
function settleAbove(distribution: Float64Array, offset: number, line: number): SettlementProbabilities {
  const quarter = !Number.isInteger(line * 2);
  const lower = quarter ? line - 0.25 : line;
  const upper = quarter ? line + 0.25 : line;
  // Five Neumaier accumulators (sum, compensation), indexed by score + 2.
  const bins = new Float64Array(10);
  for (let k = 0; k < distribution.length; k++) {
    const x = offset + k;
    const score = Math.sign(x - lower) + Math.sign(x - upper);
    neumaierAdd(bins, 2 * (score + 2), distribution[k]!);
  }
  return {
    win: bins[8]! + bins[9]!,
    halfWin: bins[6]! + bins[7]!,
    push: bins[4]! + bins[5]!,
    halfLose: bins[2]! + bins[3]!,
    lose: bins[0]! + bins[1]!,
  };
}

/** The settlement of the opposite side of the same bet: every win is its loss and vice versa. */
function mirror(side: SettlementProbabilities): SettlementProbabilities {
  return { win: side.lose, halfWin: side.halfLose, push: side.push, halfLose: side.halfWin, lose: side.win };
}

/** Expected profit per unit stake of backing a side that settles as `settlement` at `decimalOdds`. */
export function settlementExpectedValue(settlement: SettlementProbabilities, decimalOdds: number): number {
  assertDecimalOdds('decimalOdds', decimalOdds);
  const profit = decimalOdds - 1;
  return (
    settlement.win * profit + (settlement.halfWin * profit) / 2 - settlement.halfLose / 2 - settlement.lose
  );
}

/**
 * Decimal odds at which backing the side breaks even: o solving win·(o−1) + halfWin·(o−1)/2 − halfLose/2 − lose = 0.
 * Pushes and refunded halves neither win nor lose, so they drop out. Infinity when the side cannot win anything.
 */
export function fairDecimalOdds(settlement: SettlementProbabilities): number {
  const winWeight = settlement.win + settlement.halfWin / 2;
  const loseWeight = settlement.lose + settlement.halfLose / 2;
  if (winWeight === 0) return Number.POSITIVE_INFINITY;
  return 1 + loseWeight / winWeight;
}

/** A probability matrix over final scores, with every betting market derived from it. */
export class ScoreGrid {
  /** Number of goal counts per team in the grid: maxGoals + 1. */
  readonly size: number;
  /** Largest goal count per team represented in the grid. */
  readonly maxGoals: number;
  /**
   * Probability mass that lay outside the grid before renormalising (1 − Σ of the raw grid).
   * For fromMatrix this is 1 − the sum of the matrix given (0 for an already normalised one).
   */
  readonly truncatedMass: number;
  readonly #cells: Float64Array;
  readonly #homeGoals: Float64Array;
  readonly #awayGoals: Float64Array;
  /** Index k holds P(total goals = k). */
  readonly #totalGoals: Float64Array;
  /** Index k holds P(home − away = k − maxGoals). */
  readonly #goalDifference: Float64Array;

  private constructor(cells: Float64Array, size: number, truncatedMass: number) {
    this.#cells = cells;
    this.size = size;
    this.maxGoals = size - 1;
    this.truncatedMass = truncatedMass;
    // Every market reads one of these four sums of the same matrix; computing them once keeps markets O(size).
    this.#homeGoals = new Float64Array(size);
    this.#awayGoals = new Float64Array(size);
    this.#totalGoals = new Float64Array(2 * size - 1);
    this.#goalDifference = new Float64Array(2 * size - 1);
    const state = new Float64Array(2);
    for (let i = 0; i < size; i++) {
      state[0] = 0;
      state[1] = 0;
      for (let j = 0; j < size; j++) neumaierAdd(state, 0, cells[i * size + j]!);
      this.#homeGoals[i] = state[0]! + state[1]!;
      state[0] = 0;
      state[1] = 0;
      for (let j = 0; j < size; j++) neumaierAdd(state, 0, cells[j * size + i]!);
      this.#awayGoals[i] = state[0]! + state[1]!;
    }
    for (let total = 0; total < 2 * size - 1; total++) {
      state[0] = 0;
      state[1] = 0;
      const first = Math.max(0, total - size + 1);
      const last = Math.min(total, size - 1);
      for (let i = first; i <= last; i++) neumaierAdd(state, 0, cells[i * size + (total - i)]!);
      this.#totalGoals[total] = state[0]! + state[1]!;
    }
    for (let k = 0; k < 2 * size - 1; k++) {
      const difference = k - (size - 1);
      state[0] = 0;
      state[1] = 0;
      const first = Math.max(0, difference);
      const last = Math.min(size - 1, size - 1 + difference);
      for (let i = first; i <= last; i++) neumaierAdd(state, 0, cells[i * size + (i - difference)]!);
      this.#goalDifference[k] = state[0]! + state[1]!;
    }
  }

  /** Independent Poisson goals with rates (home, away), optionally Dixon-Coles low-score corrected by rho; truncated at maxGoals (default 10) and renormalised. */
  static fromRates(homeRate: number, awayRate: number, options: ScoreGridOptions = {}): ScoreGrid {
    assertRate('homeRate', homeRate);
    assertRate('awayRate', awayRate);
    const rho = options.rho ?? 0;
    const maxGoals = options.maxGoals ?? DEFAULT_MAX_GOALS;
    if (!Number.isInteger(maxGoals) || maxGoals < 1 || maxGoals > MAX_MAX_GOALS) {
      throw new RangeError(`ScoreGrid: maxGoals must be an integer from 1 to ${MAX_MAX_GOALS}, got ${maxGoals}`);
    }
    if (!Number.isFinite(rho)) throw new RangeError(`ScoreGrid: rho must be a finite number, got ${rho}`);
    // Dixon & Coles (1997) tau factors for the four low scores; the others are 1.
    const tau00 = 1 - homeRate * awayRate * rho;
    const tau01 = 1 + homeRate * rho;
    const tau10 = 1 + awayRate * rho;
    const tau11 = 1 - rho;
    if (tau00 < 0 || tau01 < 0 || tau10 < 0 || tau11 < 0) {
      throw new RangeError(
        `ScoreGrid: rho = ${rho} gives a negative Dixon-Coles probability for rates (${homeRate}, ${awayRate}); ` +
          `1 − λμρ, 1 + λρ, 1 + μρ and 1 − ρ must all be >= 0`,
      );
    }

    const size = maxGoals + 1;
    const home = new Float64Array(size);
    const away = new Float64Array(size);
    poissonPmfInto(homeRate, home);
    poissonPmfInto(awayRate, away);
    const cells = new Float64Array(size * size);
    for (let i = 0; i < size; i++) {
      const pHome = home[i]!;
      const row = i * size;
      for (let j = 0; j < size; j++) cells[row + j] = pHome * away[j]!;
    }
    cells[0]! *= tau00;
    cells[1]! *= tau01; // home 0, away 1
    cells[size]! *= tau10; // home 1, away 0
    cells[size + 1]! *= tau11;
    // The tau corrections move mass between the four low scores without changing the total, so whatever the
    // grid lacks is exactly the Poisson tail beyond maxGoals.
    const total = normaliseInPlace(cells);
    return new ScoreGrid(cells, size, 1 - total);
  }

  /** From a row-major (size x size) matrix P(home = i, away = j); renormalised. */
  static fromMatrix(probabilities: Float64Array, size: number): ScoreGrid {
    if (!Number.isInteger(size) || size < 2 || size > MAX_MAX_GOALS + 1) {
      throw new RangeError(`ScoreGrid: size must be an integer from 2 to ${MAX_MAX_GOALS + 1}, got ${size}`);
    }
    if (probabilities.length !== size * size) {
      throw new RangeError(
        `ScoreGrid: a ${size}x${size} matrix needs ${size * size} entries, got ${probabilities.length}`,
      );
    }
    for (let k = 0; k < probabilities.length; k++) {
      const p = probabilities[k]!;
      if (!Number.isFinite(p) || p < 0) {
        throw new RangeError(
          `ScoreGrid: matrix entry (${Math.floor(k / size)}, ${k % size}) must be a finite probability >= 0, got ${p}`,
        );
      }
    }
    const cells = Float64Array.from(probabilities);
    const total = normaliseInPlace(cells);
    return new ScoreGrid(cells, size, 1 - total);
  }

  /** P(home scores homeGoals and away scores awayGoals); 0 outside the grid. */
  probability(homeGoals: number, awayGoals: number): number {
    if (!Number.isInteger(homeGoals) || !Number.isInteger(awayGoals) || homeGoals < 0 || awayGoals < 0) {
      throw new RangeError(`ScoreGrid: goals must be integers >= 0, got (${homeGoals}, ${awayGoals})`);
    }
    if (homeGoals >= this.size || awayGoals >= this.size) return 0;
    return this.#cells[homeGoals * this.size + awayGoals]!;
  }

  /** Home win, draw and away win probabilities. */
  oneXTwo(): OneXTwo {
    const difference = this.#goalDifference;
    const zero = this.size - 1;
    // Summed from the goal-difference distribution so 1X2 equals the AH ±0.5 / 0 lines exactly.
    const state = new Float64Array(4);
    for (let k = 0; k < zero; k++) neumaierAdd(state, 0, difference[k]!);
    for (let k = zero + 1; k < difference.length; k++) neumaierAdd(state, 2, difference[k]!);
    return { home: state[2]! + state[3]!, draw: difference[zero]!, away: state[0]! + state[1]! };
  }

  /** Expected goals of each team. */
  expectedGoals(): ExpectedGoals {
    const state = new Float64Array(4);
    for (let k = 1; k < this.size; k++) {
      neumaierAdd(state, 0, k * this.#homeGoals[k]!);
      neumaierAdd(state, 2, k * this.#awayGoals[k]!);
    }
    return { home: state[0]! + state[1]!, away: state[2]! + state[3]! };
  }

  /** Over/under the total-goals `line` (any multiple of 0.25 >= 0): whole lines can push, quarter lines split the stake. */
  totalGoals(line: number): TotalGoalsMarket {
    assertQuarterLine('total goals line', line);
    if (line < 0) throw new RangeError(`ScoreGrid: total goals line must be >= 0, got ${line}`);
    const over = settleAbove(this.#totalGoals, 0, line);
    return { line, over, under: mirror(over) };
  }

  /** Asian handicap with `homeLine` added to the home score (−0.75 = home gives 0.75); the away side is the opposite bet. */
  asianHandicap(homeLine: number): AsianHandicapMarket {
    assertQuarterLine('Asian handicap line', homeLine);
    // Home wins its bet when (home − away) + homeLine > 0, i.e. when the goal difference exceeds −homeLine.
    const home = settleAbove(this.#goalDifference, -(this.size - 1), -homeLine);
    return { homeLine, home, away: mirror(home) };
  }

  /** Break-even decimal odds for each side of the Asian handicap at `homeLine`, counting pushes and half results. */
  fairAsianHandicapOdds(homeLine: number): { readonly home: number; readonly away: number } {
    const market = this.asianHandicap(homeLine);
    return { home: fairDecimalOdds(market.home), away: fairDecimalOdds(market.away) };
  }

  /** Expected profit per unit stake of backing each Asian handicap side at the offered decimal odds. */
  asianHandicapExpectedValue(
    homeLine: number,
    decimalOdds: { readonly home: number; readonly away: number },
  ): { readonly home: number; readonly away: number } {
    const market = this.asianHandicap(homeLine);
    return {
      home: settlementExpectedValue(market.home, decimalOdds.home),
      away: settlementExpectedValue(market.away, decimalOdds.away),
    };
  }

  /** Break-even decimal odds for over and under at `line`, counting pushes and half results. */
  fairTotalGoalsOdds(line: number): { readonly over: number; readonly under: number } {
    const market = this.totalGoals(line);
    return { over: fairDecimalOdds(market.over), under: fairDecimalOdds(market.under) };
  }

  /** Expected profit per unit stake of backing over and under at `line` at the offered decimal odds. */
  totalGoalsExpectedValue(
    line: number,
    decimalOdds: { readonly over: number; readonly under: number },
  ): { readonly over: number; readonly under: number } {
    const market = this.totalGoals(line);
    return {
      over: settlementExpectedValue(market.over, decimalOdds.over),
      under: settlementExpectedValue(market.under, decimalOdds.under),
    };
  }

  /** Both teams to score: yes when each side scores at least once. */
  bothTeamsToScore(): BothTeamsToScore {
    const size = this.size;
    const cells = this.#cells;
    const state = new Float64Array(4);
    for (let i = 0; i < size; i++) {
      for (let j = 0; j < size; j++) neumaierAdd(state, i > 0 && j > 0 ? 0 : 2, cells[i * size + j]!);
    }
    return { yes: state[0]! + state[1]!, no: state[2]! + state[3]! };
  }

  /** The `limit` most likely exact scores, most likely first (ties: fewer home goals, then fewer away goals). */
  exactScores(limit = 10): ExactScore[] {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(`ScoreGrid: exactScores limit must be an integer >= 1, got ${limit}`);
    }
    const size = this.size;
    const scores: ExactScore[] = [];
    for (let i = 0; i < size; i++) {
      for (let j = 0; j < size; j++) scores.push({ homeGoals: i, awayGoals: j, probability: this.#cells[i * size + j]! });
    }
    scores.sort(
      (a, b) => b.probability - a.probability || a.homeGoals - b.homeGoals || a.awayGoals - b.awayGoals,
    );
    return scores.slice(0, limit);
  }

  /** P(home scores k) at index k, k = 0..maxGoals (a copy). */
  homeGoalsDistribution(): Float64Array {
    return Float64Array.from(this.#homeGoals);
  }

  /** P(away scores k) at index k, k = 0..maxGoals (a copy). */
  awayGoalsDistribution(): Float64Array {
    return Float64Array.from(this.#awayGoals);
  }

  /** P(total goals = k) at index k, k = 0..2·maxGoals (a copy). */
  totalGoalsDistribution(): Float64Array {
    return Float64Array.from(this.#totalGoals);
  }

  /** P(home goals − away goals = d) for d = −maxGoals..maxGoals (a copy). */
  goalDifferenceDistribution(): GoalDifferenceDistribution {
    return { minDifference: -(this.size - 1), probabilities: Float64Array.from(this.#goalDifference) };
  }

  /** A copy of the row-major matrix P(home = i, away = j). */
  toMatrix(): Float64Array {
    return Float64Array.from(this.#cells);
  }
}

/** Scales `cells` in place to sum to 1 and returns the sum it had before. */
function normaliseInPlace(cells: Float64Array): number {
  const state = new Float64Array(2);
  for (let k = 0; k < cells.length; k++) neumaierAdd(state, 0, cells[k]!);
  const total = state[0]! + state[1]!;
  if (!(total > 0)) {
    throw new RangeError('ScoreGrid: the grid holds no probability mass (are the rates far beyond maxGoals?)');
  }
  for (let k = 0; k < cells.length; k++) cells[k]! /= total;
  return total;
}
