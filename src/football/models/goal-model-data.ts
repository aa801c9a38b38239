import { logFactorial } from '../../numeric/log-factorial.js';
import { neumaierSum } from '../../numeric/neumaier-sum.js';

const MS_PER_DAY = 86_400_000;

/** One match as the fitting code sees it (already validated). */
export interface GoalModelMatch {
  readonly homeTeam: string;
  readonly awayTeam: string;
  readonly homeGoals: number;
  readonly awayGoals: number;
  readonly kickoffAtMs: number;
}

/**
 * Everything a likelihood needs about the training window, as typed arrays built once per fit,
 * so the likelihood loop reads flat memory and allocates nothing.
 */
export interface GoalModelData {
  readonly teamCount: number;
  readonly matchCount: number;
  readonly homeIndex: Int32Array;
  readonly awayIndex: Int32Array;
  readonly homeGoals: Float64Array;
  readonly awayGoals: Float64Array;
  /** exp(−xi · days between kick-off and asOf) per match. */
  readonly weights: Float64Array;
  /** Σ w (log x! + log y!): constant in the parameters, kept so the NLL is a true NLL. */
  readonly logFactorialSum: number;
  /** Σ of the weights of each team's matches, home and away (its effective number of matches). */
  readonly weightedMatches: Float64Array;
  readonly weightSum: number;
  readonly weightedHomeGoals: number;
  readonly weightedAwayGoals: number;
}

/**
 * Builds the per-fit arrays for `matches` (all before `asOfMs`) with team indices from `teamIndex`
 * and exponential time-decay rate `xi` per day.
 */
export function buildGoalModelData(
  matches: readonly GoalModelMatch[],
  teamIndex: ReadonlyMap<string, number>,
  asOfMs: number,
  xi: number,
): GoalModelData {
  const matchCount = matches.length;
  const teamCount = teamIndex.size;
  const homeIndex = new Int32Array(matchCount);
  const awayIndex = new Int32Array(matchCount);
  const homeGoals = new Float64Array(matchCount);
  const awayGoals = new Float64Array(matchCount);
  const weights = new Float64Array(matchCount);
  const weightedMatches = new Float64Array(teamCount);
  for (let m = 0; m < matchCount; m++) {
    const match = matches[m]!;
    const h = teamIndex.get(match.homeTeam)!;
    const a = teamIndex.get(match.awayTeam)!;
    const w = Math.exp(-xi * ((asOfMs - match.kickoffAtMs) / MS_PER_DAY));
    homeIndex[m] = h;
    awayIndex[m] = a;
    homeGoals[m] = match.homeGoals;
    awayGoals[m] = match.awayGoals;
    weights[m] = w;
    weightedMatches[h]! += w;
    weightedMatches[a]! += w;
  }
  // Thousands of terms each: compensated sums via one scratch array.
  const terms = new Float64Array(matchCount);
  const weightedSum = (valueOf: (m: number) => number): number => {
    for (let m = 0; m < matchCount; m++) terms[m] = weights[m]! * valueOf(m);
    return neumaierSum(terms);
  };
  return {
    teamCount,
    matchCount,
    homeIndex,
    awayIndex,
    homeGoals,
    awayGoals,
    weights,
    logFactorialSum: weightedSum((m) => logFactorial(homeGoals[m]!) + logFactorial(awayGoals[m]!)),
    weightedMatches,
    weightSum: neumaierSum(weights),
    weightedHomeGoals: weightedSum((m) => homeGoals[m]!),
    weightedAwayGoals: weightedSum((m) => awayGoals[m]!),
  };
}
