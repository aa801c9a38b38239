/**
 * In-play 1X2 and next-goal probabilities. The goals still to come are two independent Poisson
 * processes whose rates are the pre-match expected goals (per match), scaled to the time left and
 * adjusted for the score state, red cards and, optionally, the live xG. Pure and allocation-free
 * per call apart from the returned object.
 */

/** Pre-match expected goals per full match and where they came from. */
export interface PreMatchRates {
  readonly homeGoals: number;
  readonly awayGoals: number;
  /** Which model produced them, e.g. `football-1x2-E0@3` or `league-average`. */
  readonly modelVersion: string;
}

/** The situation the model prices. */
export interface InPlaySituation {
  /** Absolute match clock in seconds (45:00 starts the second half). */
  readonly elapsedSeconds: number;
  readonly period: number;
  readonly homeScore: number;
  readonly awayScore: number;
  readonly homeRedCards: number;
  readonly awayRedCards: number;
  readonly homeXg: number;
  readonly awayXg: number;
  /** Half time (between `Half End` of period 1 and `Half Start` of period 2). */
  readonly halfTime: boolean;
  readonly finished: boolean;
}

export interface InPlayProbability {
  readonly home: number;
  readonly draw: number;
  readonly away: number;
  readonly nextGoalHome: number;
  readonly nextGoalNone: number;
  readonly nextGoalAway: number;
  /** Expected goals still to come per side. */
  readonly remainingHome: number;
  readonly remainingAway: number;
  /** `<pre-match model version>+inplay-<model revision>`. */
  readonly modelVersion: string;
}

export interface InPlayOptions {
  /** Average stoppage time per half in minutes (default 1.5 first half, 4 second half). */
  readonly firstHalfStoppageMinutes?: number;
  readonly secondHalfStoppageMinutes?: number;
  /**
   * Score-state effect: the leading side's rate is multiplied by (1 − k), the trailing side's by
   * (1 + k) (default 0.1: on half-time scores, k = 0.15-0.2 fits seasons before 2012/13 best, but
   * gains only 0.0002 RPS over 0.1 on later seasons; bench/live-inplay-eval.ts, docs/benchmarks.md).
   */
  readonly scoreStateEffect?: number;
  /** A red card multiplies the team's rate by this (default 0.7, assumed: not fitted to data yet) … */
  readonly redCardOwnFactor?: number;
  /** … and the opponent's by this (default 1.2). */
  readonly redCardOpponentFactor?: number;
  /**
   * Live xG update: prior strength in matches for a Gamma-Poisson update of each side's rate by the xG
   * it has produced (0 = off, the default; 2 weighs the pre-match rate like two matches of evidence).
   */
  readonly xgPriorMatches?: number;
}

export const IN_PLAY_MODEL_REVISION = 'inplay-1';
const MAX_GOALS = 16;

/** Minutes of play left, including expected stoppage time; 0 once regulation time is over. */
export function minutesLeft(situation: Pick<InPlaySituation, 'elapsedSeconds' | 'period' | 'finished' | 'halfTime'>, s1: number, s2: number): number {
  if (situation.finished || situation.period >= 3) return 0;
  const t = situation.elapsedSeconds / 60;
  if (situation.halfTime) return 45 + s2;
  // Inside stoppage time the end is near but not here: keep a small remainder until the whistle.
  if (situation.period === 1) return Math.max(45 + s1 - t, 0.25) + 45 + s2;
  return Math.max(90 + s2 - Math.max(t, 45), 0.25);
}

/** Reusable model: options checked once, buffers allocated once. */
export class InPlayModel {
  readonly #s1: number;
  readonly #s2: number;
  readonly #k: number;
  readonly #redOwn: number;
  readonly #redOpp: number;
  readonly #xgPrior: number;
  readonly #home = new Float64Array(MAX_GOALS);
  readonly #awayCdf = new Float64Array(MAX_GOALS + 1);

  constructor(options: InPlayOptions = {}) {
    this.#s1 = options.firstHalfStoppageMinutes ?? 1.5;
    this.#s2 = options.secondHalfStoppageMinutes ?? 4;
    this.#k = options.scoreStateEffect ?? 0.1;
    this.#redOwn = options.redCardOwnFactor ?? 0.7;
    this.#redOpp = options.redCardOpponentFactor ?? 1.2;
    this.#xgPrior = options.xgPriorMatches ?? 0;
    for (const [name, value] of Object.entries({ s1: this.#s1, s2: this.#s2, k: this.#k, redOwn: this.#redOwn, redOpp: this.#redOpp, xgPrior: this.#xgPrior })) {
      if (!Number.isFinite(value) || value < 0) throw new RangeError(`InPlayModel: option ${name} must be a finite number ≥ 0, got ${value}`);
    }
    if (this.#k >= 1) throw new RangeError('InPlayModel: scoreStateEffect must be below 1');
  }

  /** Expected goals still to come for each side. */
  remainingRates(rates: PreMatchRates, s: InPlaySituation): { home: number; away: number } {
    const full = 90 + this.#s1 + this.#s2;
    const left = minutesLeft(s, this.#s1, this.#s2);
    let home = rates.homeGoals;
    let away = rates.awayGoals;
    if (this.#xgPrior > 0) {
      const playedMatches = Math.min(1, Math.max(0, (full - left) / full));
      home = (home * this.#xgPrior + s.homeXg) / (this.#xgPrior + playedMatches);
      away = (away * this.#xgPrior + s.awayXg) / (this.#xgPrior + playedMatches);
    }
    const diff = s.homeScore - s.awayScore;
    if (diff > 0) {
      home *= 1 - this.#k;
      away *= 1 + this.#k;
    } else if (diff < 0) {
      home *= 1 + this.#k;
      away *= 1 - this.#k;
    }
    home *= this.#redOwn ** s.homeRedCards * this.#redOpp ** s.awayRedCards;
    away *= this.#redOwn ** s.awayRedCards * this.#redOpp ** s.homeRedCards;
    const share = left / full;
    return { home: home * share, away: away * share };
  }

  /** Home/draw/away for the final (90-minute) result and who scores next. */
  predict(rates: PreMatchRates, s: InPlaySituation): InPlayProbability {
    const { home: mh, away: ma } = this.remainingRates(rates, s);
    const h = this.#home;
    const cdf = this.#awayCdf;
    // Poisson pmfs by recurrence; the last cell takes the tail so each sums to 1.
    let p = Math.exp(-mh);
    let total = 0;
    for (let i = 0; i < MAX_GOALS - 1; i++) {
      h[i] = p;
      total += p;
      p *= mh / (i + 1);
    }
    h[MAX_GOALS - 1] = Math.max(0, 1 - total);
    p = Math.exp(-ma);
    cdf[0] = 0;
    let acc = 0;
    for (let j = 0; j < MAX_GOALS; j++) {
      acc += j === MAX_GOALS - 1 ? Math.max(0, 1 - acc) : p;
      cdf[j + 1] = acc;
      p *= ma / (j + 1);
    }
    // Final home − away = d + i − j: home wins when j < d + i, draws when j = d + i.
    const d = s.homeScore - s.awayScore;
    let homeWin = 0;
    let draw = 0;
    for (let i = 0; i < MAX_GOALS; i++) {
      const threshold = d + i;
      if (threshold <= 0) {
        if (threshold === 0) draw += h[i]! * (cdf[1]! - cdf[0]!);
        continue;
      }
      const below = threshold >= MAX_GOALS ? 1 : cdf[threshold]!;
      homeWin += h[i]! * below;
      if (threshold < MAX_GOALS) draw += h[i]! * (cdf[threshold + 1]! - cdf[threshold]!);
    }
    const awayWin = Math.max(0, 1 - homeWin - draw);
    const totalRate = mh + ma;
    const none = Math.exp(-totalRate);
    const some = 1 - none;
    return {
      home: homeWin,
      draw,
      away: awayWin,
      nextGoalHome: totalRate > 0 ? (some * mh) / totalRate : 0,
      nextGoalNone: none,
      nextGoalAway: totalRate > 0 ? (some * ma) / totalRate : 0,
      remainingHome: mh,
      remainingAway: ma,
      modelVersion: `${rates.modelVersion}+${IN_PLAY_MODEL_REVISION}`,
    };
  }
}
