import type { PlayedMatch } from '../../src/football/football-match.js';

const DAY = 86_400_000;
/** Kick-off day of the first synthetic match. */
export const SYNTHETIC_START_MS = Date.UTC(2020, 0, 1);
const START = SYNTHETIC_START_MS;

/** A season of synthetic matches: two per day, one at a known time and one date-only. */
export function syntheticMatches(days: number): PlayedMatch[] {
  const teams = ['A', 'B', 'C', 'D'];
  const matches: PlayedMatch[] = [];
  for (let d = 0; d < days; d++) {
    for (let k = 0; k < 2; k++) {
      const home = teams[(d + k) % 4]!;
      const away = teams[(d + k + 1 + (d % 3)) % 4]!; // offset 1..3, never the home team
      matches.push({
        matchId: d * 2 + k + 1,
        competition: 'T1',
        season: '1920',
        kickoffDate: new Date(START + d * DAY).toISOString().slice(0, 10),
        kickoffAtMs: START + d * DAY + (k === 0 ? 15 * 3_600_000 : 0),
        kickoffTimeKnown: k === 0,
        homeTeam: home,
        awayTeam: away,
        preMatchOdds: { bet365: { home: 2.1, draw: 3.3, away: 3.6 } },
        homeGoals: (d + k) % 3,
        awayGoals: (d * 7 + k) % 2,
        halfTimeHomeGoals: 0,
        halfTimeAwayGoals: 0,
        stats: {
          homeShots: 10, awayShots: 8, homeShotsOnTarget: 4, awayShotsOnTarget: 3,
          homeCorners: 5, awayCorners: 4, homeRedCards: 0, awayRedCards: 0,
        },
        closingOdds: { bet365: { home: 2.0, draw: 3.4, away: 3.8 } },
      });
    }
  }
  return matches.sort((a, b) => a.kickoffAtMs - b.kickoffAtMs || a.matchId - b.matchId);
}

