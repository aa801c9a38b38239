/**
 * How a team seen for the first time is rated. `initial`: the initial rating. `relegated-proxy`:
 * the mean rating of the `relegatedCount` lowest-rated teams that played in the last
 * `activeWindowDays` — in a league those are, near enough, the teams the newcomer replaced, so a
 * promoted side starts where the relegated ones left and the league's mean rating stays put.
 */
export const NEW_TEAM_RULES = ['initial', 'relegated-proxy'] as const;
/** One of NEW_TEAM_RULES. */
export type NewTeamRule = (typeof NEW_TEAM_RULES)[number];

const newTeamRuleSet: ReadonlySet<string> = new Set(NEW_TEAM_RULES);

/** True when `value` is one of NEW_TEAM_RULES. */
export function isNewTeamRule(value: string): value is NewTeamRule {
  return newTeamRuleSet.has(value);
}

/** Rating of teams seen for the first time. */
export interface NewTeamPolicy {
  readonly rule: NewTeamRule;
  /** Lowest-rated active teams averaged by `relegated-proxy` (3: a typical relegation zone). */
  readonly relegatedCount: number;
  /**
   * Teams first seen within this many days of the first rated match are the founding members and
   * start at the initial rating: every team of a league plays within its first weeks.
   */
  readonly foundingPeriodDays: number;
  /** A team counts as active if it played within this many days (one season, summer break included). */
  readonly activeWindowDays: number;
}

/** Defaults: relegated proxy over the bottom 3 of teams active in the last year; 60-day founding period. */
export const DEFAULT_NEW_TEAM_POLICY: NewTeamPolicy = Object.freeze({
  rule: 'relegated-proxy',
  relegatedCount: 3,
  foundingPeriodDays: 60,
  activeWindowDays: 365,
});

/** Fills defaults and validates once, returning a frozen policy. */
export function resolveNewTeamPolicy(overrides: Partial<NewTeamPolicy> = {}): NewTeamPolicy {
  const policy = { ...DEFAULT_NEW_TEAM_POLICY, ...overrides };
  if (!isNewTeamRule(policy.rule)) throw new RangeError(`Unknown new-team rule "${String(policy.rule)}"`);
  if (!Number.isInteger(policy.relegatedCount) || policy.relegatedCount < 1) {
    throw new RangeError(`relegatedCount must be a positive integer, got ${policy.relegatedCount}`);
  }
  if (!(policy.foundingPeriodDays >= 0)) throw new RangeError(`foundingPeriodDays must be ≥ 0, got ${policy.foundingPeriodDays}`);
  if (!(policy.activeWindowDays > 0)) throw new RangeError(`activeWindowDays must be > 0, got ${policy.activeWindowDays}`);
  return Object.freeze(policy);
}
