import type { Kysely } from 'kysely';
import type { Database } from '../store/database-schema.js';

/** When sign-in pauses after failures (per username, and per client address). */
export interface LockoutPolicy {
  /** Failed sign-ins for one username within `windowMs` (since its last success) that pause it. */
  readonly maxFailuresPerUsername: number;
  /** Failed sign-ins from one address within `windowMs` that pause it, whatever the usernames. */
  readonly maxFailuresPerIp: number;
  readonly windowMs: number;
}

export const DEFAULT_LOCKOUT_POLICY: LockoutPolicy = Object.freeze({ maxFailuresPerUsername: 5, maxFailuresPerIp: 20, windowMs: 15 * 60_000 });

/** The instant until which the `max`-th most recent failure keeps the key paused, or null. */
function pausedUntil(failureTimesDesc: readonly number[], max: number, windowMs: number, nowMs: number): number | null {
  if (failureTimesDesc.length < max) return null;
  const until = failureTimesDesc[max - 1]! + windowMs;
  return until > nowMs ? until : null;
}

/**
 * Until when sign-in is paused for this username or address (epoch ms), or null when it is not.
 * Attempts made while paused are not recorded, so a pause always ends `windowMs` after it began.
 */
export async function signInPausedUntil(
  db: Kysely<Database>,
  attempt: { readonly usernameKey: string; readonly ip: string },
  policy: LockoutPolicy,
  nowMs: number,
): Promise<number | null> {
  const since = nowMs - policy.windowMs;
  const lastSuccess = await db
    .selectFrom('login_attempts')
    .select((eb) => eb.fn.max<number | null>('at_ms').as('at'))
    .where('username_key', '=', attempt.usernameKey)
    .where('succeeded', '=', 1)
    .where('at_ms', '>', since)
    .executeTakeFirst();
  const userFailures = await db
    .selectFrom('login_attempts')
    .select('at_ms')
    .where('username_key', '=', attempt.usernameKey)
    .where('succeeded', '=', 0)
    .where('at_ms', '>', Math.max(since, Number(lastSuccess?.at ?? since)))
    .orderBy('at_ms', 'desc')
    .limit(policy.maxFailuresPerUsername)
    .execute();
  const ipFailures = await db
    .selectFrom('login_attempts')
    .select('at_ms')
    .where('ip', '=', attempt.ip)
    .where('succeeded', '=', 0)
    .where('at_ms', '>', since)
    .orderBy('at_ms', 'desc')
    .limit(policy.maxFailuresPerIp)
    .execute();
  const untils = [
    pausedUntil(userFailures.map((r) => Number(r.at_ms)), policy.maxFailuresPerUsername, policy.windowMs, nowMs),
    pausedUntil(ipFailures.map((r) => Number(r.at_ms)), policy.maxFailuresPerIp, policy.windowMs, nowMs),
  ].filter((u): u is number => u !== null);
  return untils.length === 0 ? null : Math.max(...untils);
}

/** Records one sign-in attempt. */
export async function recordSignInAttempt(
  db: Kysely<Database>,
  attempt: { readonly usernameKey: string; readonly ip: string },
  succeeded: boolean,
  nowMs: number,
): Promise<void> {
  await db
    .insertInto('login_attempts')
    .values({ username_key: attempt.usernameKey, ip: attempt.ip, succeeded: succeeded ? 1 : 0, at_ms: nowMs })
    .execute();
}

/** Forgets attempts older than `beforeMs`; they no longer count toward any pause. */
export async function pruneSignInAttempts(db: Kysely<Database>, beforeMs: number): Promise<void> {
  await db.deleteFrom('login_attempts').where('at_ms', '<', beforeMs).execute();
}
