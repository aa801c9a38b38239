/** Account roles, weakest first: each role can do everything the ones before it can. */
export const ROLES = ['free', 'premium', 'admin'] as const;
export type Role = (typeof ROLES)[number];

const roleSet: ReadonlySet<string> = new Set(ROLES);

/** True when `value` names a role. */
export function isRole(value: string): value is Role {
  return roleSet.has(value);
}

/** True when `actual` grants at least what `minimum` does (admin ≥ premium ≥ free). */
export function roleAtLeast(actual: Role, minimum: Role): boolean {
  return ROLES.indexOf(actual) >= ROLES.indexOf(minimum);
}
