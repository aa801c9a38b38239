import { MarketConsensusPredictor } from '../predictors/market-predictor.js';
import type { Fixture, PlayedMatch } from '../football-match.js';
import { outcomeOf } from '../football-match.js';
import { EloRatings } from '../ratings/elo-ratings.js';
import { PiRatings } from '../ratings/pi-ratings.js';
import { TeamFormTracker, type TeamForm } from './team-form-tracker.js';

/** The engineered features, in column order. Every one is computable before kick-off. */
export const MATCH_FEATURES = [
  'elo_difference',
  'pi_expected_goal_difference',
  'home_points_per_game',
  'away_points_per_game',
  'home_goals_for',
  'home_goals_against',
  'away_goals_for',
  'away_goals_against',
  'home_shots_for',
  'home_shots_against',
  'away_shots_for',
  'away_shots_against',
  'home_on_target_for',
  'home_on_target_against',
  'away_on_target_for',
  'away_on_target_against',
  'home_rest_days',
  'away_rest_days',
  'home_recent_matches',
  'away_recent_matches',
  'market_home',
  'market_draw',
  'market_away',
] as const;
export type MatchFeature = (typeof MATCH_FEATURES)[number];

/** Column-major feature values (feature f of row r at `values[f * rows + r]`, NaN = unknown). */
export interface MatchFeatureTable {
  readonly featureNames: readonly MatchFeature[];
  readonly rows: number;
  readonly values: Float64Array;
}

/** Training rows (history, with outcomes) and prediction rows (fixtures) built from one replay. */
export interface MatchFeatureSets {
  readonly training: MatchFeatureTable & { readonly outcomes: Int32Array };
  readonly fixtures: MatchFeatureTable;
  /** Features of any later fixture from the state after the whole history (one row, in column order). */
  readonly featuresOf: (fixture: Fixture) => Float64Array;
}

export interface MatchFeatureOptions {
  /** Matches per team in the rolling form window (default 10). */
  readonly formWindow?: number;
  /** Leave out the market columns (a model of football alone). */
  readonly withoutMarket?: boolean;
}

const REST_DAYS_CAP = 30;
const FEATURE_COUNT = MATCH_FEATURES.length;

function formValues(form: TeamForm): number[] {
  return [form.goalsFor, form.goalsAgainst, form.shotsFor, form.shotsAgainst, form.shotsOnTargetFor, form.shotsOnTargetAgainst];
}

/**
 * Incremental feature state: feed finished matches in kick-off order with `add` (which returns the
 * match's features as they were BEFORE it, then learns from it); `featuresOf` prices any later
 * fixture from the current state. Keeping one builder across walk-forward refits makes each refit
 * cost only the matches that are new since the last one.
 */
export class MatchFeatureBuilder {
  readonly #form: TeamFormTracker;
  readonly #elo = new EloRatings();
  readonly #pi = new PiRatings();
  readonly #market = new MarketConsensusPredictor('shin');
  readonly #withoutMarket: boolean;
  #lastKickoffMs = Number.NEGATIVE_INFINITY;

  constructor(options: MatchFeatureOptions = {}) {
    this.#form = new TeamFormTracker(options.formWindow ?? 10);
    this.#withoutMarket = options.withoutMarket ?? false;
  }

  /** Kick-off of the last match added (−∞ before the first). */
  get lastKickoffMs(): number {
    return this.#lastKickoffMs;
  }

  /** Writes the fixture's features into column-major `out` at row `r` of `rows`. */
  write(fixture: Fixture, out: Float64Array, r: number, rows: number): void {
    const { home, away } = this.#form.fixtureForm(fixture);
    const p = this.#withoutMarket ? undefined : this.#market.predict(fixture);
    const [hgf, hga, hsf, hsa, hstf, hsta] = formValues(home);
    const [agf, aga, asf, asa, astf, asta] = formValues(away);
    const values = [
      this.#elo.predictFeature(fixture.homeTeam, fixture.awayTeam),
      this.#pi.predictFeature(fixture.homeTeam, fixture.awayTeam),
      home.pointsPerGame,
      away.pointsPerGame,
      hgf, hga, agf, aga, hsf, hsa, asf, asa, hstf, hsta, astf, asta,
      Math.min(home.restDays, REST_DAYS_CAP),
      Math.min(away.restDays, REST_DAYS_CAP),
      home.matches,
      away.matches,
      p?.home ?? Number.NaN,
      p?.draw ?? Number.NaN,
      p?.away ?? Number.NaN,
    ];
    for (let f = 0; f < FEATURE_COUNT; f++) out[f * rows + r] = values[f]!;
  }

  /** The fixture's features from the current state (one row, in column order). */
  featuresOf(fixture: Fixture): Float64Array {
    const out = new Float64Array(FEATURE_COUNT);
    this.write(fixture, out, 0, 1);
    return out;
  }

  /** Returns the match's pre-kick-off features, then learns from its result. */
  add(match: PlayedMatch): Float64Array {
    const features = this.featuresOf(match);
    this.#form.add(match);
    this.#elo.update([match]);
    this.#pi.update([match]);
    this.#lastKickoffMs = match.kickoffAtMs;
    return features;
  }
}

/**
 * Replays `history` (finished matches, kick-off order) through a fresh builder, writing each
 * match's features BEFORE it is added; fixtures then get features from the final state. So no
 * training row contains its own result, and no fixture sees anything after the history.
 */
export function buildMatchFeatures(
  history: readonly PlayedMatch[],
  fixtures: readonly Fixture[],
  options: MatchFeatureOptions = {},
): MatchFeatureSets {
  const builder = new MatchFeatureBuilder(options);
  const trainingValues = new Float64Array(FEATURE_COUNT * history.length);
  const outcomes = new Int32Array(history.length);
  for (let r = 0; r < history.length; r++) {
    const match = history[r]!;
    const features = builder.add(match);
    for (let f = 0; f < FEATURE_COUNT; f++) trainingValues[f * history.length + r] = features[f]!;
    outcomes[r] = outcomeOf(match.homeGoals, match.awayGoals);
  }
  const fixtureValues = new Float64Array(FEATURE_COUNT * fixtures.length);
  for (let r = 0; r < fixtures.length; r++) builder.write(fixtures[r]!, fixtureValues, r, fixtures.length);
  return {
    training: { featureNames: MATCH_FEATURES, rows: history.length, values: trainingValues, outcomes },
    fixtures: { featureNames: MATCH_FEATURES, rows: fixtures.length, values: fixtureValues },
    featuresOf: (fixture) => builder.featuresOf(fixture),
  };
}
