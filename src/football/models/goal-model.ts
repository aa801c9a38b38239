import { createLbfgsWorkspace, minimizeLbfgs, type LbfgsWorkspace } from '../../numeric/lbfgs.js';
import type { ScoreGrid } from '../score-grid.js';
import { buildGoalModelData, type GoalModelData } from './goal-model-data.js';

const MS_PER_DAY = 86_400_000;
// How many of the weakest established teams define the level of a promoted (or unseen) side:
// three go down and three come up each season in the leagues we model.
const WEAKEST_TEAMS = 3;
// Refits allowed while the weakest set moves under the shrinkage it defines; it settles in one almost always.
const MAX_SHRINK_PASSES = 3;

/** A played match as goal models consume it. */
export interface GoalMatch {
  readonly homeTeam: string;
  readonly awayTeam: string;
  readonly homeGoals: number;
  readonly awayGoals: number;
  /** UTC epoch ms of kick-off. */
  readonly kickoffAtMs: number;
}

/** Settings shared by every goal model; validated once in the constructor. */
export interface GoalModelOptions {
  /** Time decay per day: a match d days before asOf has weight exp(−xi·d). Default 0.0019 (Dixon & Coles' value). */
  readonly xi?: number;
  /** Largest goal count per team in predicted score grids (default 10). */
  readonly maxGoals?: number;
  /**
   * Effective (weighted) match count from which a team is fully trusted (default 10). Below it the
   * team's attack and defence are pulled towards the promoted-team level; see GoalModel.
   */
  readonly shrinkMatches?: number;
  /** Strength of that pull for a team with no matches, in Fisher-information units (default 10, ≈ 7 matches). */
  readonly shrinkPrecision?: number;
  /** Optimiser iteration limit per run (default 500). */
  readonly maxIterations?: number;
  /** Stop when the gradient's infinity norm is at most this (default 1e-6; near the rounding floor of a ~1,000-match NLL). */
  readonly gradientTolerance?: number;
  /**
   * Stop when the objective's relative decrease is at most this (default 1e-12). scipy's 2.2e-9 leaves 1X2 up to
   * ~4e-5 from the optimum on E0; 1e-12 gets within ~1e-6 for about 10 more iterations per optimiser run.
   */
  readonly valueTolerance?: number;
}

/** Options of GoalModel.fit. */
export interface GoalModelFitOptions {
  /** The instant the model is fitted for; default the day after the last match. Later matches are an error (leakage). */
  readonly asOfMs?: number;
  /** A fitted model of the same kind to start from (walk-forward refits converge in a fraction of the work). */
  readonly warmStart?: GoalModel;
}

/** Options of rates and predict. */
export interface RateOptions {
  /** No home advantage (a neutral venue). */
  readonly neutral?: boolean;
}

/** One team's fitted parameters. */
export interface TeamRating {
  readonly team: string;
  /** Log-scale scoring strength, centred over the teams of the window. */
  readonly attack: number;
  /** Log-scale propensity to concede (higher = worse), centred over the teams of the window. */
  readonly defence: number;
  /** Σ of the time-decay weights of its matches: how much evidence the fit had. */
  readonly weightedMatches: number;
}

/** Named fitted parameters, for reports. */
export interface GoalModelParameters {
  readonly model: string;
  readonly asOfMs: number;
  /** Every team of the training window, in name order. */
  readonly teams: readonly TeamRating[];
  /** log of the goal rate of an average team away to an average team. */
  readonly intercept: number;
  /** Added to the home side's log rate. */
  readonly homeAdvantage: number;
  /** Model-specific parameters, e.g. { rho } for Dixon-Coles. */
  readonly extra: Readonly<Record<string, number>>;
  /** What a team absent from the window gets: the mean of the weakest established teams. */
  readonly promotedLevel: { readonly attack: number; readonly defence: number; readonly teams: readonly string[] };
}

/** How the last fit went. */
export interface GoalModelFitSummary {
  readonly matches: number;
  readonly asOfMs: number;
  /** Penalised objective at the optimum: negativeLogLikelihood + penalty. */
  readonly objective: number;
  /** Weighted negative log-likelihood (including the log-factorial constant). */
  readonly negativeLogLikelihood: number;
  /** Shrinkage penalty of thinly observed teams. */
  readonly penalty: number;
  /** Optimiser runs (more than one when thinly observed teams are shrunk; see GoalModel). */
  readonly passes: number;
  readonly iterations: number;
  readonly evaluations: number;
  readonly converged: boolean;
  readonly message: string;
}

interface FittedState {
  readonly teams: readonly string[];
  readonly teamIndex: ReadonlyMap<string, number>;
  /** Natural parameters: attack(n), defence(n), intercept, home, extras; attack and defence centred. */
  readonly params: Float64Array;
  readonly weightedMatches: Float64Array;
  readonly weakest: readonly number[];
  readonly promotedAttack: number;
  readonly promotedDefence: number;
  readonly summary: GoalModelFitSummary;
}

function checkNumber(owner: string, name: string, value: number | undefined, fallback: number, min: number, integer = false): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    throw new RangeError(`${owner}: ${name} must be ${integer ? 'an integer' : 'a finite number'} >= ${min}, got ${String(value)}`);
  }
  return value;
}

function describeMatch(match: GoalMatch, index: number): string {
  const when = Number.isFinite(match?.kickoffAtMs) ? new Date(match.kickoffAtMs).toISOString() : 'unknown kick-off';
  return `matches[${index}] (${String(match?.homeTeam)} v ${String(match?.awayTeam)}, ${when})`;
}

/**
 * Base of the team-strength goal models (penaltyblog style). It owns validation, team indexing,
 * time-decay weights, the optimiser call and the fitted state; a subclass supplies its extra
 * parameters, its weighted negative log-likelihood with analytic gradient, and its score grid.
 *
 * Parameterisation: log λ(home goals) = intercept + home + attack[h] + defence[a] and
 * log μ(away goals) = intercept + attack[a] + defence[h], with attack and defence each summing to
 * zero (the optimiser works on unconstrained values and the objective centres them, which keeps the
 * likelihood identified without a special team). Strength is attack − defence.
 *
 * Teams the window has not seen (promoted sides, typically) get the mean parameters of the 3
 * weakest established teams: the sides just promoted replace the 3 relegated ones and, on
 * average, are about that good, whereas the league average would overrate them. Teams with little
 * evidence (weighted matches c < shrinkMatches) get an L2 pull towards that same level,
 * κ/2·(1 − c/shrinkMatches)·[(attack − A)² + (defence − D)²]: a side with 2 matches behind it is
 * mostly "a promoted team" and its 5–0 opening win should not make it a title favourite, while
 * the pull fades linearly to nothing at shrinkMatches. Because (A, D) depends on the fit, a cold
 * fit first shrinks towards the league average, picks the weakest 3, and refits until that set
 * stops changing; a warm start takes the set from the previous model.
 */
export abstract class GoalModel {
  /** Model name for reports, e.g. `dixon-coles`. */
  abstract readonly name: string;
  protected readonly xi: number;
  protected readonly maxGoals: number;
  /** Class name for error messages, e.g. `DixonColes`. */
  readonly #owner: string;
  readonly #shrinkMatches: number;
  readonly #shrinkPrecision: number;
  readonly #optimizer: { readonly maxIterations: number; readonly gradientTolerance: number; readonly valueTolerance: number };
  #state: FittedState | undefined;
  #workspace: LbfgsWorkspace | undefined;

  protected constructor(owner: string, options: GoalModelOptions = {}) {
    if (options === null || typeof options !== 'object') throw new TypeError(`${owner}: options must be an object`);
    this.#owner = owner;
    this.xi = checkNumber(owner, 'xi', options.xi, 0.0019, 0);
    this.maxGoals = checkNumber(owner, 'maxGoals', options.maxGoals, 10, 1, true);
    this.#shrinkMatches = checkNumber(owner, 'shrinkMatches', options.shrinkMatches, 10, 0);
    this.#shrinkPrecision = checkNumber(owner, 'shrinkPrecision', options.shrinkPrecision, 10, 0);
    this.#optimizer = Object.freeze({
      maxIterations: checkNumber(owner, 'maxIterations', options.maxIterations, 500, 1, true),
      gradientTolerance: checkNumber(owner, 'gradientTolerance', options.gradientTolerance, 1e-6, 0),
      valueTolerance: checkNumber(owner, 'valueTolerance', options.valueTolerance, 1e-12, 0),
    });
  }

  /** Names of the parameters after [attack, defence, intercept, home], e.g. ['rho']. */
  protected abstract readonly extraParameterNames: readonly string[];

  /** Starting values of the extra parameters for a cold fit. */
  protected abstract initialExtraParameters(): readonly number[];

  /** Weighted NLL at natural `params`; writes d NLL/d params into `gradient`; +Infinity outside the domain. */
  protected abstract negativeLogLikelihood(data: GoalModelData, params: Float64Array, gradient: Float64Array): number;

  /** The score grid for goal rates (λ, μ) given the fitted extra parameters. */
  protected abstract scoreGrid(homeRate: number, awayRate: number, extra: Float64Array): ScoreGrid;

  /** Fits the model to `matches`, all of which must have kicked off before `asOfMs`; returns this. */
  fit(matches: readonly GoalMatch[], options: GoalModelFitOptions = {}): this {
    const asOfMs = this.#validate(matches, options);
    if (options.warmStart !== undefined && !(options.warmStart instanceof GoalModel)) {
      throw new TypeError(`${this.#owner}.fit: warmStart must be a fitted ${this.#owner}`);
    }
    const warm = options.warmStart === undefined ? undefined : options.warmStart.#warmState(this);
    const teams = [...new Set(matches.flatMap((m) => [m.homeTeam, m.awayTeam]))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const teamIndex = new Map(teams.map((team, i) => [team, i] as const));
    const n = teams.length;
    const data = buildGoalModelData(matches, teamIndex, asOfMs, this.xi);
    const extraCount = this.extraParameterNames.length;
    const size = 2 * n + 2 + extraCount;

    const theta = new Float64Array(size);
    if (warm) {
      for (let i = 0; i < n; i++) {
        const j = warm.teamIndex.get(teams[i]!);
        theta[i] = j === undefined ? warm.promotedAttack : warm.params[j]!;
        theta[n + i] = j === undefined ? warm.promotedDefence : warm.params[warm.teams.length + j]!;
      }
      theta.set(warm.params.subarray(2 * warm.teams.length), 2 * n);
    } else {
      // The moment estimates (mean goal rate, home/away goal ratio) put a cold start at the optimum's level.
      const perTeamRate = (data.weightedHomeGoals + data.weightedAwayGoals) / (2 * data.weightSum);
      theta[2 * n] = Math.log(Math.max(perTeamRate, 1e-3));
      const ratio = data.weightedHomeGoals / data.weightedAwayGoals;
      theta[2 * n + 1] = ratio > 0 && Number.isFinite(ratio) ? Math.log(ratio) : 0;
      const extras = this.initialExtraParameters();
      for (let k = 0; k < extraCount; k++) theta[2 * n + 2 + k] = extras[k] ?? 0;
    }

    // Per-team pull κ·(1 − c/C)⁺, fixed for the fit.
    const shrink = new Float64Array(n);
    let anyShrink = false;
    for (let i = 0; i < n; i++) {
      const shortfall = this.#shrinkMatches > 0 ? 1 - data.weightedMatches[i]! / this.#shrinkMatches : 0;
      shrink[i] = shortfall > 0 ? this.#shrinkPrecision * shortfall : 0;
      if (shrink[i]! > 0) anyShrink = true;
    }
    const established = new Uint8Array(n);
    for (let i = 0; i < n; i++) established[i] = data.weightedMatches[i]! >= this.#shrinkMatches ? 1 : 0;

    const target = new Int32Array(WEAKEST_TEAMS);
    let targetCount = 0;
    const natural = new Float64Array(size);
    const objective = (x: Float64Array, gradient: Float64Array): number => {
      centreInto(x, natural, n);
      const nll = this.negativeLogLikelihood(data, natural, gradient);
      if (!Number.isFinite(nll)) return nll;
      const penalty = anyShrink ? addShrinkPenalty(natural, gradient, n, shrink, target, targetCount) : 0;
      // Chain rule through the centring: each block's gradient loses its mean.
      centreInto(gradient, gradient, n);
      return nll + penalty;
    };

    if (this.#workspace?.n !== size) this.#workspace = createLbfgsWorkspace(size, 10);
    const workspace = this.#workspace;
    let passes = 0;
    let iterations = 0;
    let evaluations = 0;
    let last = { converged: false, message: '' };
    const run = (start: Float64Array): void => {
      const result = minimizeLbfgs(objective, start, { ...this.#optimizer, workspace });
      passes++;
      iterations += result.iterations;
      evaluations += result.evaluations;
      last = result;
      centreInto(result.x, theta, n);
    };

    let weakest: number[];
    if (!anyShrink) {
      run(theta);
      weakest = weakestTeams(theta, n, established);
    } else {
      // A warm start already knows the weakest teams; a cold fit finds them by shrinking to the league average first.
      const warmWeakest = warm ? mapWeakest(warm, teamIndex, established) : undefined;
      if (warmWeakest) {
        weakest = warmWeakest;
      } else {
        run(theta);
        weakest = weakestTeams(theta, n, established);
      }
      for (let attempt = 0; attempt < MAX_SHRINK_PASSES; attempt++) {
        target.set(weakest);
        targetCount = weakest.length;
        run(theta);
        const following = weakestTeams(theta, n, established);
        if (sameTeams(following, weakest)) break;
        if (attempt < MAX_SHRINK_PASSES - 1) weakest = following;
      }
    }

    const params = theta;
    const gradient = new Float64Array(size);
    const negativeLogLikelihood = this.negativeLogLikelihood(data, params, gradient);
    const penalty = anyShrink ? addShrinkPenalty(params, gradient, n, shrink, target, targetCount) : 0;
    let promotedAttack = 0;
    let promotedDefence = 0;
    for (const i of weakest) {
      promotedAttack += params[i]! / weakest.length;
      promotedDefence += params[n + i]! / weakest.length;
    }
    this.#state = {
      teams,
      teamIndex,
      params,
      weightedMatches: data.weightedMatches,
      weakest,
      promotedAttack,
      promotedDefence,
      summary: Object.freeze({
        matches: data.matchCount,
        asOfMs,
        objective: negativeLogLikelihood + penalty,
        negativeLogLikelihood,
        penalty,
        passes,
        iterations,
        evaluations,
        converged: last.converged,
        message: last.message,
      }),
    };
    return this;
  }

  /** True when `team` played in the training window (otherwise it is rated at the promoted-team level). */
  knowsTeam(team: string): boolean {
    return this.#fitted('knowsTeam').teamIndex.has(team);
  }

  /** Expected goals (λ home, μ away) for a match; an unseen team gets the promoted-team level. */
  rates(homeTeam: string, awayTeam: string, options: RateOptions = {}): { home: number; away: number } {
    const state = this.#fitted('rates');
    if (typeof homeTeam !== 'string' || typeof awayTeam !== 'string') {
      throw new TypeError(`${this.#owner}.rates: team names must be strings, got ${typeof homeTeam} and ${typeof awayTeam}`);
    }
    if (homeTeam === awayTeam) throw new RangeError(`${this.#owner}.rates: "${homeTeam}" cannot play itself`);
    const n = state.teams.length;
    const { params } = state;
    const h = state.teamIndex.get(homeTeam);
    const a = state.teamIndex.get(awayTeam);
    const homeAttack = h === undefined ? state.promotedAttack : params[h]!;
    const homeDefence = h === undefined ? state.promotedDefence : params[n + h]!;
    const awayAttack = a === undefined ? state.promotedAttack : params[a]!;
    const awayDefence = a === undefined ? state.promotedDefence : params[n + a]!;
    const intercept = params[2 * n]!;
    const homeAdvantage = options.neutral ? 0 : params[2 * n + 1]!;
    return {
      home: Math.exp(intercept + homeAdvantage + homeAttack + awayDefence),
      away: Math.exp(intercept + awayAttack + homeDefence),
    };
  }

  /** The score grid of a match, from which every market (1X2, totals, handicaps…) is derived. */
  predict(homeTeam: string, awayTeam: string, options: RateOptions = {}): ScoreGrid {
    const state = this.#fitted('predict');
    const { home, away } = this.rates(homeTeam, awayTeam, options);
    return this.scoreGrid(home, away, state.params.subarray(2 * state.teams.length + 2));
  }

  /** Named fitted parameters for reports. */
  parameters(): GoalModelParameters {
    const state = this.#fitted('parameters');
    const n = state.teams.length;
    const { params } = state;
    const extra: Record<string, number> = {};
    this.extraParameterNames.forEach((name, k) => {
      extra[name] = params[2 * n + 2 + k]!;
    });
    return Object.freeze({
      model: this.name,
      asOfMs: state.summary.asOfMs,
      teams: state.teams.map((team, i) =>
        Object.freeze({ team, attack: params[i]!, defence: params[n + i]!, weightedMatches: state.weightedMatches[i]! }),
      ),
      intercept: params[2 * n]!,
      homeAdvantage: params[2 * n + 1]!,
      extra: Object.freeze(extra),
      promotedLevel: Object.freeze({
        attack: state.promotedAttack,
        defence: state.promotedDefence,
        teams: state.weakest.map((i) => state.teams[i]!),
      }),
    });
  }

  /** How the last fit went: objective, likelihood, penalty, optimiser effort and convergence. */
  fitSummary(): GoalModelFitSummary {
    return this.#fitted('fitSummary').summary;
  }

  #fitted(method: string): FittedState {
    if (this.#state === undefined) throw new Error(`${this.#owner}.${method}: the model is not fitted yet; call fit(matches) first`);
    return this.#state;
  }

  /** This model's state as a warm start for `target`, checking that it is the same kind of model. */
  #warmState(target: GoalModel): FittedState {
    if (this.constructor !== target.constructor) {
      throw new TypeError(`${target.#owner}.fit: warmStart must be a fitted ${target.#owner}, got a ${this.#owner}`);
    }
    if (this.#state === undefined) throw new TypeError(`${target.#owner}.fit: warmStart has not been fitted`);
    return this.#state;
  }

  #validate(matches: readonly GoalMatch[], options: GoalModelFitOptions): number {
    const owner = `${this.#owner}.fit`;
    if (!Array.isArray(matches)) throw new TypeError(`${owner}: matches must be an array of GoalMatch`);
    if (matches.length === 0) throw new RangeError(`${owner}: no matches to fit`);
    if (options === null || typeof options !== 'object') throw new TypeError(`${owner}: options must be an object`);
    let lastKickoffMs = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < matches.length; i++) {
      const match = matches[i]!;
      if (match === null || typeof match !== 'object') throw new TypeError(`${owner}: matches[${i}] is not a match object`);
      for (const key of ['homeTeam', 'awayTeam'] as const) {
        if (typeof match[key] !== 'string' || match[key].length === 0) {
          throw new TypeError(`${owner}: ${describeMatch(match, i)}: ${key} must be a non-empty string`);
        }
      }
      if (match.homeTeam === match.awayTeam) {
        throw new RangeError(`${owner}: ${describeMatch(match, i)}: home and away team are the same`);
      }
      if (typeof match.kickoffAtMs !== 'number' || !Number.isFinite(match.kickoffAtMs)) {
        throw new TypeError(`${owner}: ${describeMatch(match, i)}: kickoffAtMs must be a finite epoch-ms number, got ${String(match.kickoffAtMs)}`);
      }
      for (const key of ['homeGoals', 'awayGoals'] as const) {
        const goals = match[key];
        if (typeof goals !== 'number') {
          throw new TypeError(`${owner}: ${describeMatch(match, i)}: ${key} must be a number, got ${typeof goals}`);
        }
        if (!Number.isInteger(goals) || goals < 0) {
          throw new RangeError(`${owner}: ${describeMatch(match, i)}: ${key} must be a non-negative integer, got ${goals}`);
        }
      }
      if (match.kickoffAtMs > lastKickoffMs) lastKickoffMs = match.kickoffAtMs;
    }
    if (options.asOfMs === undefined) return lastKickoffMs + MS_PER_DAY;
    const asOfMs = options.asOfMs;
    if (typeof asOfMs !== 'number' || !Number.isFinite(asOfMs)) {
      throw new TypeError(`${owner}: asOfMs must be a finite epoch-ms number, got ${String(asOfMs)}`);
    }
    for (let i = 0; i < matches.length; i++) {
      if (matches[i]!.kickoffAtMs >= asOfMs) {
        throw new RangeError(
          `${owner}: ${describeMatch(matches[i]!, i)} kicks off at or after asOf ${new Date(asOfMs).toISOString()}; ` +
            'fitting on it would leak the future into the model',
        );
      }
    }
    return asOfMs;
  }
}

/** Copies `source` into `out` with the attack block [0, n) and the defence block [n, 2n) each shifted to mean 0. */
function centreInto(source: Float64Array, out: Float64Array, n: number): void {
  let attackMean = 0;
  let defenceMean = 0;
  for (let i = 0; i < n; i++) {
    attackMean += source[i]!;
    defenceMean += source[n + i]!;
  }
  attackMean /= n;
  defenceMean /= n;
  for (let i = 0; i < n; i++) {
    out[i] = source[i]! - attackMean;
    out[n + i] = source[n + i]! - defenceMean;
  }
  if (out !== source) for (let k = 2 * n; k < source.length; k++) out[k] = source[k]!;
}

/**
 * Adds κ_i/2·[(attack_i − A)² + (defence_i − D)²] over the teams to `gradient` and returns it, with
 * (A, D) the mean over the first `targetCount` teams of `target` (the league average 0 when none).
 */
function addShrinkPenalty(
  params: Float64Array,
  gradient: Float64Array,
  n: number,
  shrink: Float64Array,
  target: Int32Array,
  targetCount: number,
): number {
  let targetAttack = 0;
  let targetDefence = 0;
  for (let k = 0; k < targetCount; k++) {
    targetAttack += params[target[k]!]! / targetCount;
    targetDefence += params[n + target[k]!]! / targetCount;
  }
  let penalty = 0;
  let pullAttack = 0;
  let pullDefence = 0;
  for (let i = 0; i < n; i++) {
    const kappa = shrink[i]!;
    if (kappa === 0) continue;
    const attackGap = params[i]! - targetAttack;
    const defenceGap = params[n + i]! - targetDefence;
    penalty += 0.5 * kappa * (attackGap * attackGap + defenceGap * defenceGap);
    gradient[i]! += kappa * attackGap;
    gradient[n + i]! += kappa * defenceGap;
    pullAttack += kappa * attackGap;
    pullDefence += kappa * defenceGap;
  }
  // The target moves with the weakest teams' own parameters.
  for (let k = 0; k < targetCount; k++) {
    gradient[target[k]!]! -= pullAttack / targetCount;
    gradient[n + target[k]!]! -= pullDefence / targetCount;
  }
  return penalty;
}

/** Indices (ascending) of the 3 lowest attack − defence among established teams (all teams if none is). */
function weakestTeams(params: Float64Array, n: number, established: Uint8Array): number[] {
  let pool: number[] = [];
  for (let i = 0; i < n; i++) if (established[i]) pool.push(i);
  if (pool.length === 0) pool = Array.from({ length: n }, (_, i) => i);
  pool.sort((i, j) => params[i]! - params[n + i]! - (params[j]! - params[n + j]!) || i - j);
  return pool.slice(0, WEAKEST_TEAMS).sort((i, j) => i - j);
}

/** The warm model's weakest teams as indices of this window, when they are all established here. */
function mapWeakest(warm: FittedState, teamIndex: ReadonlyMap<string, number>, established: Uint8Array): number[] | undefined {
  const mapped: number[] = [];
  for (const i of warm.weakest) {
    const j = teamIndex.get(warm.teams[i]!);
    if (j === undefined || !established[j]) return undefined;
    mapped.push(j);
  }
  return mapped.sort((i, j) => i - j);
}

function sameTeams(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((value, k) => value === b[k]);
}
