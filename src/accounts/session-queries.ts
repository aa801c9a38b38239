import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../store/database-schema.js';

/** A new refresh token (shown to the client once) and when it expires. */
export interface IssuedRefreshToken {
  readonly sessionId: string;
  readonly refreshToken: string;
  readonly refreshTokenExpiresAtMs: number;
}

// The prefix lets secret scanners recognise a leaked token.
const REFRESH_TOKEN_PREFIX = 'tip_rt_';

/** SHA-256 of a refresh token: 256 random bits need no slow hash, and lookups stay one index probe. */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function newRefreshToken(): string {
  return `${REFRESH_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** Starts a session for `userId` with its first refresh token. */
export async function createSession(db: Kysely<Database>, userId: number, nowMs: number, refreshTtlMs: number): Promise<IssuedRefreshToken> {
  const sessionId = randomUUID();
  const expiresAtMs = nowMs + refreshTtlMs;
  await db
    .insertInto('sessions')
    .values({ id: sessionId, user_id: userId, created_at_ms: nowMs, last_used_at_ms: nowMs, expires_at_ms: expiresAtMs, revoked_at_ms: null, revoked_reason: null })
    .execute();
  return { sessionId, ...(await insertRefreshToken(db, sessionId, nowMs, expiresAtMs)) };
}

async function insertRefreshToken(db: Kysely<Database>, sessionId: string, nowMs: number, expiresAtMs: number) {
  const refreshToken = newRefreshToken();
  await db
    .insertInto('refresh_tokens')
    .values({ token_hash: hashRefreshToken(refreshToken), session_id: sessionId, issued_at_ms: nowMs, expires_at_ms: expiresAtMs, used_at_ms: null })
    .execute();
  return { refreshToken, refreshTokenExpiresAtMs: expiresAtMs };
}

/** A refresh token with the state of its session and user, as refresh needs them. */
export interface RefreshTokenState {
  readonly sessionId: string;
  readonly userId: number;
  readonly expiresAtMs: number;
  readonly usedAtMs: number | null;
  readonly sessionRevoked: boolean;
  readonly userDisabled: boolean;
}

/** Looks a refresh token up by its hash. */
export async function findRefreshToken(db: Kysely<Database>, refreshToken: string): Promise<RefreshTokenState | undefined> {
  const row = await db
    .selectFrom('refresh_tokens as t')
    .innerJoin('sessions as s', 's.id', 't.session_id')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['t.session_id', 's.user_id', 't.expires_at_ms', 't.used_at_ms', 's.revoked_at_ms', 'u.disabled'])
    .where('t.token_hash', '=', hashRefreshToken(refreshToken))
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    sessionId: row.session_id,
    userId: Number(row.user_id),
    expiresAtMs: Number(row.expires_at_ms),
    usedAtMs: row.used_at_ms === null ? null : Number(row.used_at_ms),
    sessionRevoked: row.revoked_at_ms !== null,
    userDisabled: row.disabled === 1,
  };
}

/**
 * Exchanges a refresh token for a new one in the same session: the old one is marked used (so a
 * replay is detectable) and the session's expiry slides. Undefined when another request used it first.
 */
export async function rotateRefreshToken(
  db: Kysely<Database>,
  refreshToken: string,
  sessionId: string,
  nowMs: number,
  refreshTtlMs: number,
): Promise<IssuedRefreshToken | undefined> {
  const claimed = await db
    .updateTable('refresh_tokens')
    .set({ used_at_ms: nowMs })
    .where('token_hash', '=', hashRefreshToken(refreshToken))
    .where('used_at_ms', 'is', null)
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1) return undefined;
  const expiresAtMs = nowMs + refreshTtlMs;
  await db.updateTable('sessions').set({ last_used_at_ms: nowMs, expires_at_ms: expiresAtMs }).where('id', '=', sessionId).execute();
  // Used tokens are kept until they would have expired, to recognise a replay; older ones are noise.
  await db.deleteFrom('refresh_tokens').where('session_id', '=', sessionId).where('expires_at_ms', '<', nowMs).execute();
  return { sessionId, ...(await insertRefreshToken(db, sessionId, nowMs, expiresAtMs)) };
}

/** Ends a session: its refresh tokens stop working and access tokens naming it are refused. */
export async function revokeSession(db: Kysely<Database>, sessionId: string, reason: string, nowMs: number): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revoked_at_ms: nowMs, revoked_reason: reason })
    .where('id', '=', sessionId)
    .where('revoked_at_ms', 'is', null)
    .execute();
}

/** Ends every live session of a user, except `keepSessionId` when given; returns how many ended. */
export async function revokeUserSessions(
  db: Kysely<Database>,
  userId: number,
  reason: string,
  nowMs: number,
  keepSessionId?: string,
): Promise<number> {
  let update = db
    .updateTable('sessions')
    .set({ revoked_at_ms: nowMs, revoked_reason: reason })
    .where('user_id', '=', userId)
    .where('revoked_at_ms', 'is', null);
  if (keepSessionId !== undefined) update = update.where('id', '!=', keepSessionId);
  return Number((await update.executeTakeFirst()).numUpdatedRows);
}

/** What an access token's session says about its caller right now. */
export interface SessionPrincipalRow {
  readonly userId: number;
  readonly username: string;
  readonly role: string;
  readonly userDisabled: boolean;
  readonly revoked: boolean;
  readonly expiresAtMs: number;
}

/** The session `sessionId` with its user's current role and state. */
export async function findSessionPrincipal(db: Kysely<Database>, sessionId: string): Promise<SessionPrincipalRow | undefined> {
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.user_id', 'u.username', 'u.role', 'u.disabled', 's.revoked_at_ms', 's.expires_at_ms'])
    .where('s.id', '=', sessionId)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    userId: Number(row.user_id),
    username: row.username,
    role: row.role,
    userDisabled: row.disabled === 1,
    revoked: row.revoked_at_ms !== null,
    expiresAtMs: Number(row.expires_at_ms),
  };
}

/** Deletes sessions (and their tokens) that ended before `beforeMs`. */
export async function pruneSessions(db: Kysely<Database>, beforeMs: number): Promise<void> {
  await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at_ms', '<', beforeMs), eb('revoked_at_ms', '<', beforeMs)]))
    .execute();
}
