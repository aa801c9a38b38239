import { describe, expect, it } from 'vitest';
import type { PlayedMatch } from '../football-match.js';
import { TeamFormTracker } from './team-form-tracker.js';

const DAY = 86_400_000;
let id = 0;
function match(day: number, home: string, away: string, hg: number, ag: number, shots: [number | null, number | null] = [10, 5]): PlayedMatch {
  return {
    matchId: ++id, competition: 'T', season: '2021', kickoffDate: '', kickoffAtMs: day * DAY, kickoffTimeKnown: false,
    homeTeam: home, awayTeam: away, preMatchOdds: {}, homeGoals: hg, awayGoals: ag, halfTimeHomeGoals: null, halfTimeAwayGoals: null,
    stats: { homeShots: shots[0], awayShots: shots[1], homeShotsOnTarget: null, awayShotsOnTarget: null, homeCorners: null, awayCorners: null, homeRedCards: null, awayRedCards: null },
    closingOdds: {},
  };
}

describe('TeamFormTracker', () => {
  it('averages the last N matches from each team’s own point of view', () => {
    const t = new TeamFormTracker(2);
    t.add(match(0, 'A', 'B', 3, 0));
    t.add(match(7, 'B', 'A', 1, 1, [null, null]));
    t.add(match(14, 'C', 'A', 2, 1, [8, 12]));
    const a = t.form('A', 18 * DAY);
    // Window 2: A's last two matches were the 1-1 at B and the 1-2 defeat at C.
    expect(a).toMatchObject({ matches: 2, pointsPerGame: 0.5, goalsFor: 1, goalsAgainst: 1.5, restDays: 4 });
    // Shots are known for one of the two matches only: averaged over the known one.
    expect(a.shotsFor).toBe(12);
    expect(a.shotsAgainst).toBe(8);
  });

  it('knows nothing about an unseen team and refuses out-of-order matches', () => {
    const t = new TeamFormTracker();
    expect(t.form('Z', 0)).toMatchObject({ matches: 0, pointsPerGame: NaN });
    t.add(match(5, 'A', 'B', 1, 0));
    expect(() => t.add(match(4, 'A', 'B', 1, 0))).toThrow(/kick-off order/);
  });
});
