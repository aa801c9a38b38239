import { describe, expect, it } from 'vitest';
import { syntheticMatches } from '../../../test/support/synthetic-matches.js';
import { toFixture } from '../football-match.js';
import { MATCH_FEATURES, buildMatchFeatures } from './match-features.js';

const column = (name: string) => MATCH_FEATURES.indexOf(name as (typeof MATCH_FEATURES)[number]);

describe('buildMatchFeatures', () => {
  const history = syntheticMatches(60);

  it('gives each training row exactly the features its match had as a fixture before kick-off', () => {
    const { training } = buildMatchFeatures(history, []);
    for (const r of [0, 1, 17, 64, 119]) {
      const alone = buildMatchFeatures(history.slice(0, r), [toFixture(history[r]!)]).fixtures;
      for (let f = 0; f < MATCH_FEATURES.length; f++) {
        expect(training.values[f * training.rows + r], `${MATCH_FEATURES[f]} of row ${r}`).toEqual(alone.values[f]);
      }
    }
  });

  it('labels rows with the 1X2 outcome and knows nothing of a team before its first match', () => {
    const { training } = buildMatchFeatures(history, []);
    expect(training.outcomes[0]).toBe(history[0]!.homeGoals > history[0]!.awayGoals ? 0 : history[0]!.homeGoals === history[0]!.awayGoals ? 1 : 2);
    expect(training.values[column('home_recent_matches') * training.rows]).toBe(0);
    expect(Number.isNaN(training.values[column('home_goals_for') * training.rows]!)).toBe(true);
    // The synthetic book is priced by one bookmaker, so the market columns are its margin-free view.
    const home = training.values[column('market_home') * training.rows + 5]!;
    const draw = training.values[column('market_draw') * training.rows + 5]!;
    const away = training.values[column('market_away') * training.rows + 5]!;
    expect(home + draw + away).toBeCloseTo(1, 12);
    expect(home).toBeGreaterThan(away);
  });

  it('can leave the market out', () => {
    const { fixtures } = buildMatchFeatures(history, [toFixture(history[0]!)], { withoutMarket: true });
    expect(Number.isNaN(fixtures.values[column('market_home')]!)).toBe(true);
  });
});
