import type { NewTeamPolicy } from './new-team-policy.js';

const DAY_MS = 86_400_000;

/** When each team last played, so a newcomer can be rated by the NewTeamPolicy. */
export class TeamActivity {
  readonly #policy: NewTeamPolicy;
  readonly #lastPlayedAtMs = new Map<string, number>();
  #firstKickoffAtMs = Number.NaN;

  constructor(policy: NewTeamPolicy) {
    this.#policy = policy;
  }

  /** True once `team` has played a rated match. */
  has(team: string): boolean {
    return this.#lastPlayedAtMs.has(team);
  }

  /** Notes that `team` played at `kickoffAtMs` (called in kick-off order). */
  record(team: string, kickoffAtMs: number): void {
    if (Number.isNaN(this.#firstKickoffAtMs)) this.#firstKickoffAtMs = kickoffAtMs;
    this.#lastPlayedAtMs.set(team, kickoffAtMs);
  }

  /**
   * Teams whose ratings a newcomer kicking off at `kickoffAtMs` inherits: the `relegatedCount`
   * lowest by `strength` among teams active in the window. Empty means "use the initial rating"
   * (rule `initial`, the founding period, or nobody active).
   */
  relegatedProxy(kickoffAtMs: number, strength: (team: string) => number): string[] {
    const policy = this.#policy;
    if (policy.rule === 'initial' || Number.isNaN(this.#firstKickoffAtMs)) return [];
    if (kickoffAtMs - this.#firstKickoffAtMs <= policy.foundingPeriodDays * DAY_MS) return [];
    const activeSinceMs = kickoffAtMs - policy.activeWindowDays * DAY_MS;
    const active: { team: string; strength: number }[] = [];
    for (const [team, lastMs] of this.#lastPlayedAtMs) {
      if (lastMs >= activeSinceMs) active.push({ team, strength: strength(team) });
    }
    // Name as tie-break keeps the choice independent of Map insertion order.
    active.sort((a, b) => a.strength - b.strength || (a.team < b.team ? -1 : a.team > b.team ? 1 : 0));
    return active.slice(0, policy.relegatedCount).map((entry) => entry.team);
  }
}
