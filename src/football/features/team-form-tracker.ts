import type { Fixture, PlayedMatch } from '../football-match.js';

const DAY_MS = 86_400_000;

/** One team's recent matches, newest last, in a fixed-size ring. */
interface TeamHistory {
  /** Per stored match: goals for, goals against, shots for, shots against, on target for, on target against, points. */
  readonly values: Float64Array;
  count: number;
  next: number;
  lastKickoffMs: number;
}

const FIELDS = 7;
const GF = 0;
const GA = 1;
const SF = 2;
const SA = 3;
const STF = 4;
const STA = 5;
const PTS = 6;

/** Rolling per-team figures over the last `window` matches (any venue), as of before a fixture. */
export interface TeamForm {
  readonly matches: number;
  readonly pointsPerGame: number;
  readonly goalsFor: number;
  readonly goalsAgainst: number;
  readonly shotsFor: number;
  readonly shotsAgainst: number;
  readonly shotsOnTargetFor: number;
  readonly shotsOnTargetAgainst: number;
  /** Days since the team's previous match (NaN when unknown). */
  readonly restDays: number;
}

/**
 * Tracks each team's recent form from finished matches fed in kick-off order. Features for a
 * match are read BEFORE that match is added, so a training row never contains its own result.
 * Missing stats (older seasons without shots) are averaged over the matches that have them.
 */
export class TeamFormTracker {
  readonly #window: number;
  readonly #teams = new Map<string, TeamHistory>();
  #lastKickoffMs = Number.NEGATIVE_INFINITY;

  constructor(window = 10) {
    if (!Number.isInteger(window) || window < 1) throw new RangeError(`form window must be a positive integer, got ${window}`);
    this.#window = window;
  }

  /** Adds a finished match; matches must arrive in kick-off order. */
  add(match: PlayedMatch): void {
    if (match.kickoffAtMs < this.#lastKickoffMs) {
      throw new RangeError(`matches must be added in kick-off order (match ${match.matchId} is earlier than the previous one)`);
    }
    this.#lastKickoffMs = match.kickoffAtMs;
    const s = match.stats;
    const homePoints = match.homeGoals > match.awayGoals ? 3 : match.homeGoals === match.awayGoals ? 1 : 0;
    const awayPoints = match.homeGoals < match.awayGoals ? 3 : match.homeGoals === match.awayGoals ? 1 : 0;
    this.#push(match.homeTeam, match.kickoffAtMs, [
      match.homeGoals, match.awayGoals, s.homeShots, s.awayShots, s.homeShotsOnTarget, s.awayShotsOnTarget, homePoints,
    ]);
    this.#push(match.awayTeam, match.kickoffAtMs, [
      match.awayGoals, match.homeGoals, s.awayShots, s.homeShots, s.awayShotsOnTarget, s.homeShotsOnTarget, awayPoints,
    ]);
  }

  /** The team's form as of `atMs` (a fixture's kick-off); a team never seen has 0 matches and NaN figures. */
  form(team: string, atMs: number): TeamForm {
    const history = this.#teams.get(team);
    if (!history || history.count === 0) {
      return {
        matches: 0, pointsPerGame: NaN, goalsFor: NaN, goalsAgainst: NaN, shotsFor: NaN,
        shotsAgainst: NaN, shotsOnTargetFor: NaN, shotsOnTargetAgainst: NaN, restDays: NaN,
      };
    }
    const mean = (field: number) => {
      let sum = 0;
      let n = 0;
      for (let i = 0; i < history.count; i++) {
        const v = history.values[i * FIELDS + field]!;
        if (!Number.isNaN(v)) {
          sum += v;
          n++;
        }
      }
      return n === 0 ? NaN : sum / n;
    };
    return {
      matches: history.count,
      pointsPerGame: mean(PTS),
      goalsFor: mean(GF),
      goalsAgainst: mean(GA),
      shotsFor: mean(SF),
      shotsAgainst: mean(SA),
      shotsOnTargetFor: mean(STF),
      shotsOnTargetAgainst: mean(STA),
      restDays: (atMs - history.lastKickoffMs) / DAY_MS,
    };
  }

  /** Convenience: the form of both sides of a fixture. */
  fixtureForm(fixture: Fixture): { home: TeamForm; away: TeamForm } {
    return { home: this.form(fixture.homeTeam, fixture.kickoffAtMs), away: this.form(fixture.awayTeam, fixture.kickoffAtMs) };
  }

  #push(team: string, kickoffMs: number, values: readonly (number | null)[]): void {
    let history = this.#teams.get(team);
    if (!history) {
      history = { values: new Float64Array(this.#window * FIELDS), count: 0, next: 0, lastKickoffMs: kickoffMs };
      this.#teams.set(team, history);
    }
    const base = history.next * FIELDS;
    for (let f = 0; f < FIELDS; f++) history.values[base + f] = values[f] ?? Number.NaN;
    history.next = (history.next + 1) % this.#window;
    history.count = Math.min(history.count + 1, this.#window);
    history.lastKickoffMs = kickoffMs;
  }
}
