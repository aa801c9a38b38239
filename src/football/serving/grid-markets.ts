import type { RateOptions } from '../models/goal-model.js';
import type { ScoreGrid, SettlementProbabilities } from '../score-grid.js';

/** Total-goals lines the API prices. */
export const TOTAL_GOALS_LINES: readonly number[] = Object.freeze([0.5, 1.5, 2.5, 3.5, 4.5]);
/** Home Asian handicap lines the API prices (quarter lines split the stake over the two neighbours). */
export const ASIAN_HANDICAP_LINES: readonly number[] = Object.freeze([-1.5, -1, -0.75, -0.5, -0.25, 0, 0.25, 0.5, 0.75, 1, 1.5]);

/** Every market of one pairing, all derived from one score grid so they agree by construction. */
export interface GridMarkets {
  readonly oneXTwo: { readonly home: number; readonly draw: number; readonly away: number };
  readonly fairOdds: { readonly home: number; readonly draw: number; readonly away: number };
  readonly expectedGoals: { readonly home: number; readonly away: number };
  readonly totals: readonly { line: number; over: SettlementProbabilities; under: SettlementProbabilities; fairOver: number; fairUnder: number }[];
  readonly bothTeamsToScore: { readonly yes: number; readonly no: number };
  readonly asianHandicap: readonly { homeLine: number; home: SettlementProbabilities; away: SettlementProbabilities; fairHome: number; fairAway: number }[];
  readonly exactScores: readonly { homeGoals: number; awayGoals: number; probability: number }[];
  /** Every scoreline from 0-0 to 5-5 (home goals major), for a heat-map of the whole grid. */
  readonly scorelines: readonly { homeGoals: number; awayGoals: number; probability: number }[];
}

/** The heat-map covers scores up to this many goals a side (about 99 % of the mass in a league match). */
export const SCORELINE_MAX_GOALS = 5;

// Grids are memoised per model and pairing, so their markets can be too (a grid is immutable).
const marketsByGrid = new WeakMap<ScoreGrid, GridMarkets>();

/** Every market the API serves from a grid, memoised per grid; `exactScores` are the ten most likely scores. */
export function marketsFromGrid(grid: ScoreGrid): GridMarkets {
  let markets = marketsByGrid.get(grid);
  if (!markets) {
    markets = computeMarkets(grid, 10);
    marketsByGrid.set(grid, markets);
  }
  return markets;
}

function computeMarkets(grid: ScoreGrid, topScores: number): GridMarkets {
  const p = grid.oneXTwo();
  return {
    oneXTwo: p,
    fairOdds: { home: 1 / p.home, draw: 1 / p.draw, away: 1 / p.away },
    expectedGoals: grid.expectedGoals(),
    totals: TOTAL_GOALS_LINES.map((line) => {
      const market = grid.totalGoals(line);
      const fair = grid.fairTotalGoalsOdds(line);
      return { line, over: market.over, under: market.under, fairOver: fair.over, fairUnder: fair.under };
    }),
    bothTeamsToScore: grid.bothTeamsToScore(),
    asianHandicap: ASIAN_HANDICAP_LINES.map((homeLine) => {
      const market = grid.asianHandicap(homeLine);
      const fair = grid.fairAsianHandicapOdds(homeLine);
      return { homeLine, home: market.home, away: market.away, fairHome: fair.home, fairAway: fair.away };
    }),
    exactScores: grid.exactScores(topScores),
    scorelines: Array.from({ length: (SCORELINE_MAX_GOALS + 1) ** 2 }, (_, i) => {
      const homeGoals = Math.floor(i / (SCORELINE_MAX_GOALS + 1));
      const awayGoals = i % (SCORELINE_MAX_GOALS + 1);
      return { homeGoals, awayGoals, probability: grid.probability(homeGoals, awayGoals) };
    }),
  };
}

export type { RateOptions };
