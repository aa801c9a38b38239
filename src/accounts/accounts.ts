import type { Logger } from 'pino';
import { TipsterError } from '../core/errors.js';
import type { Store } from '../store/store.js';
import type { AccessTokens } from './access-tokens.js';
import { appendAuditEvent } from './audit-log.js';
import { DEFAULT_LOCKOUT_POLICY, pruneSignInAttempts, recordSignInAttempt, signInPausedUntil, type LockoutPolicy } from './login-throttle.js';
import { parseMoney, type Money } from './money.js';
import { createPasswordHasher, type PasswordHasher } from './password-hasher.js';
import { assertStrongPassword } from './password-policy.js';
import type { RiskLevel } from './risk-levels.js';
import { isRole } from './roles.js';
import {
  createSession,
  findRefreshToken,
  findSessionPrincipal,
  pruneSessions,
  revokeSession,
  revokeUserSessions,
  rotateRefreshToken,
  type IssuedRefreshToken,
} from './session-queries.js';
import { SessionCheckCache } from './session-check-cache.js';
import type { Principal, User } from './user.js';
import { findCredentials, findPasswordHash, getUser, insertUser, updateUser } from './user-queries.js';
import { UserAdministration } from './user-administration.js';
import { assertValidUsername, usernameKey } from './username.js';

export interface AccountsOptions {
  readonly accessTokens: AccessTokens;
  readonly refreshTokenTtlMs: number;
  /** argon2id hasher; tests pass one with a tiny cost. */
  readonly hasher?: PasswordHasher;
  readonly lockout?: LockoutPolicy;
  readonly now?: () => number;
  /** How long this process trusts a session check before asking the store again (default 2,000 ms). */
  readonly sessionCheckMs?: number;
  readonly logger?: Logger;
}

/** An access token and a refresh token, as returned by sign-up, sign-in and refresh. */
export interface TokenPair {
  readonly accessToken: string;
  readonly accessTokenExpiresAtMs: number;
  readonly refreshToken: string;
  readonly refreshTokenExpiresAtMs: number;
}

/** A signed-in user and their tokens. */
export interface SignedIn {
  readonly user: User;
  readonly tokens: TokenPair;
}

/** A bankroll as a client writes it: a decimal string and, optionally, an ISO 4217 currency. */
export interface BankrollInput {
  readonly amount: string;
  readonly currency?: string;
}

/** Where a request comes from, for sign-in lockout. */
export interface ClientInfo {
  readonly ip: string;
}

export const DEFAULT_CURRENCY = 'EUR';
const PRUNE_EVERY_MS = 10 * 60_000;
const KEEP_ENDED_SESSIONS_MS = 7 * 86_400_000;

/**
 * Accounts and authentication: sign-up, sign-in with lockout, rotating refresh tokens, sign-out,
 * verifying access tokens against live sessions, and self-service profile changes.
 * `admin` holds what only administrators may do.
 */
export class Accounts {
  readonly admin: UserAdministration;
  readonly #store: Store;
  readonly #tokens: AccessTokens;
  readonly #refreshTtlMs: number;
  readonly #hasher: PasswordHasher;
  readonly #lockout: LockoutPolicy;
  readonly #now: () => number;
  readonly #cache: SessionCheckCache;
  readonly #logger: Logger | undefined;
  #lastPrunedAtMs = Number.NEGATIVE_INFINITY;

  constructor(store: Store, options: AccountsOptions) {
    this.#store = store;
    this.#tokens = options.accessTokens;
    this.#refreshTtlMs = options.refreshTokenTtlMs;
    this.#hasher = options.hasher ?? createPasswordHasher();
    this.#lockout = options.lockout ?? DEFAULT_LOCKOUT_POLICY;
    this.#now = options.now ?? Date.now;
    this.#cache = new SessionCheckCache(options.sessionCheckMs ?? 2_000);
    this.#logger = options.logger;
    this.admin = new UserAdministration(store, { hasher: this.#hasher, now: this.#now, onChange: () => this.#cache.clear() });
  }

  /** The sign-in lockout in force. */
  get lockoutPolicy(): LockoutPolicy {
    return this.#lockout;
  }

  /** Lifetime of new access tokens, in ms. */
  get accessTokenTtlMs(): number {
    return this.#tokens.ttlMs;
  }

  /** Prepares the dummy hash used for unknown usernames, so the first such sign-in is not slower. */
  async warmUp(): Promise<void> {
    await this.#hasher.verifyAgainstDummy('warm-up');
  }

  /** Creates a free account and signs it in. */
  async signUp(request: {
    readonly username: string;
    readonly password: string;
    readonly bankroll: BankrollInput;
    readonly riskLevel: RiskLevel;
  }): Promise<SignedIn> {
    assertValidUsername(request.username);
    assertStrongPassword(request.password, { username: request.username });
    const bankroll = parseMoney(request.bankroll.amount, request.bankroll.currency ?? DEFAULT_CURRENCY);
    const passwordHash = await this.#hasher.hashPassword(request.password);
    const nowMs = this.#now();
    const { user, session } = await this.#store.db.transaction().execute(async (trx) => {
      const user = await insertUser(trx, { username: request.username, passwordHash, role: 'free', bankroll, riskLevel: request.riskLevel }, nowMs);
      return { user, session: await createSession(trx, user.id, nowMs, this.#refreshTtlMs) };
    });
    return { user, tokens: await this.#tokenPair(user, session) };
  }

  /**
   * Signs in. Unknown usernames and wrong passwords fail identically (same error, a real argon2
   * verification either way); repeated failures pause sign-in per username and per address.
   */
  async logIn(credentials: { readonly username: string; readonly password: string }, client: ClientInfo): Promise<SignedIn> {
    const attempt = { usernameKey: usernameKey(credentials.username), ip: client.ip };
    const nowMs = this.#now();
    const pausedUntil = await signInPausedUntil(this.#store.db, attempt, this.#lockout, nowMs);
    if (pausedUntil !== null) {
      throw new TipsterError('TIPSTER_ERR_AUTH_LOCKED', { retryAfterSeconds: Math.max(1, Math.ceil((pausedUntil - nowMs) / 1000)) });
    }
    const found = await findCredentials(this.#store.db, credentials.username);
    const valid = found
      ? await this.#hasher.verifyPassword(found.passwordHash, credentials.password)
      : await this.#hasher.verifyAgainstDummy(credentials.password);
    if (!found || !valid) {
      await recordSignInAttempt(this.#store.db, attempt, false, nowMs);
      throw new TipsterError('TIPSTER_ERR_AUTH_INVALID_CREDENTIALS');
    }
    // Only someone who knows the password learns that the account is disabled.
    if (found.user.disabled) throw new TipsterError('TIPSTER_ERR_AUTH_ACCOUNT_DISABLED');
    const session = await this.#store.db.transaction().execute(async (trx) => {
      await recordSignInAttempt(trx, attempt, true, nowMs);
      return createSession(trx, found.user.id, nowMs, this.#refreshTtlMs);
    });
    if (this.#hasher.needsRehash(found.passwordHash)) {
      // Cost parameters were raised since this hash was made: upgrade it now that we know the password.
      await updateUser(this.#store.db, found.user.id, { passwordHash: await this.#hasher.hashPassword(credentials.password) }, nowMs);
    }
    await this.#maybePrune(nowMs);
    return { user: found.user, tokens: await this.#tokenPair(found.user, session) };
  }

  /**
   * Exchanges a refresh token for a new pair. Each refresh token works once: presenting one that was
   * already exchanged means it leaked, so the whole session is ended.
   */
  async refresh(refreshToken: string): Promise<SignedIn> {
    const nowMs = this.#now();
    const state = await findRefreshToken(this.#store.db, refreshToken);
    if (state === undefined) throw new TipsterError('TIPSTER_ERR_AUTH_REFRESH_INVALID');
    if (state.usedAtMs !== null) {
      await revokeSession(this.#store.db, state.sessionId, 'refresh token replayed', nowMs);
      this.#cache.clear();
      this.#logger?.warn({ sessionId: state.sessionId, userId: state.userId }, 'a used refresh token was presented again; session revoked');
      throw new TipsterError('TIPSTER_ERR_AUTH_REFRESH_INVALID');
    }
    if (state.expiresAtMs <= nowMs || state.sessionRevoked || state.userDisabled) throw new TipsterError('TIPSTER_ERR_AUTH_REFRESH_INVALID');
    const rotated = await this.#store.db
      .transaction()
      .execute((trx) => rotateRefreshToken(trx, refreshToken, state.sessionId, nowMs, this.#refreshTtlMs));
    if (rotated === undefined) throw new TipsterError('TIPSTER_ERR_AUTH_REFRESH_INVALID');
    const user = await getUser(this.#store.db, state.userId);
    return { user, tokens: await this.#tokenPair(user, rotated) };
  }

  /** Ends the session a refresh token belongs to. Unknown or already-ended tokens are ignored. */
  async logOut(refreshToken: string): Promise<void> {
    const state = await findRefreshToken(this.#store.db, refreshToken);
    if (state === undefined) return;
    await revokeSession(this.#store.db, state.sessionId, 'signed out', this.#now());
    this.#cache.clear();
  }

  /**
   * Verifies an access token and returns who is calling, with their current role. A token is refused
   * once its session is revoked or its user disabled, even before it expires.
   */
  async authenticate(accessToken: string): Promise<Principal> {
    const claims = await this.#tokens.verifyAccessToken(accessToken);
    const nowMs = this.#now();
    let entry = this.#cache.get(claims.sessionId, nowMs);
    if (entry === undefined) {
      const row = await findSessionPrincipal(this.#store.db, claims.sessionId);
      let principal: Principal | null = null;
      let reason = '';
      if (row === undefined || row.revoked || row.expiresAtMs <= nowMs) reason = 'its session has ended (signed out, or the password was changed)';
      else if (row.userDisabled) reason = 'the account is disabled';
      else if (!isRole(row.role)) reason = 'the account has an unknown role';
      else principal = { userId: row.userId, username: row.username, role: row.role, sessionId: claims.sessionId };
      this.#cache.set(claims.sessionId, principal, reason, nowMs);
      entry = { principal, reason, checkedAtMs: nowMs };
    }
    if (entry.principal === null || entry.principal.userId !== claims.userId) {
      throw new TipsterError('TIPSTER_ERR_AUTH_TOKEN_INVALID', { reason: entry.reason || 'it names another user than its session' });
    }
    return entry.principal;
  }

  /** The caller's own account. */
  async getProfile(principal: Principal): Promise<User> {
    return getUser(this.#store.db, principal.userId);
  }

  /** Changes the caller's bankroll and/or risk level. */
  async updateProfile(principal: Principal, changes: { readonly bankroll?: BankrollInput; readonly riskLevel?: RiskLevel }): Promise<User> {
    const nowMs = this.#now();
    return this.#store.db.transaction().execute(async (trx) => {
      const current = await getUser(trx, principal.userId);
      const bankroll: Money | undefined =
        changes.bankroll === undefined ? undefined : parseMoney(changes.bankroll.amount, changes.bankroll.currency ?? current.bankroll.currency);
      return updateUser(trx, principal.userId, { ...(bankroll ? { bankroll } : {}), ...(changes.riskLevel ? { riskLevel: changes.riskLevel } : {}) }, nowMs);
    });
  }

  /** Changes the caller's password (the current one is required) and ends their other sessions. */
  async changePassword(principal: Principal, passwords: { readonly currentPassword: string; readonly newPassword: string }): Promise<{ endedSessions: number }> {
    const hash = await findPasswordHash(this.#store.db, principal.userId);
    if (hash === undefined || !(await this.#hasher.verifyPassword(hash, passwords.currentPassword))) {
      throw new TipsterError('TIPSTER_ERR_AUTH_PASSWORD_INCORRECT');
    }
    assertStrongPassword(passwords.newPassword, { username: principal.username });
    if (passwords.newPassword === passwords.currentPassword) {
      throw new TipsterError('TIPSTER_ERR_AUTH_PASSWORD_WEAK', { reason: 'it is the same as the current password' });
    }
    const passwordHash = await this.#hasher.hashPassword(passwords.newPassword);
    const nowMs = this.#now();
    const endedSessions = await this.#store.db.transaction().execute(async (trx) => {
      const user = await updateUser(trx, principal.userId, { passwordHash }, nowMs);
      const ended = await revokeUserSessions(trx, principal.userId, 'password changed', nowMs, principal.sessionId);
      await appendAuditEvent(
        trx,
        { actor: { userId: user.id, name: user.username }, action: 'user.change-password', target: { userId: user.id, username: user.username }, details: { endedSessions: ended } },
        nowMs,
      );
      return ended;
    });
    this.#cache.clear();
    return { endedSessions };
  }

  async #tokenPair(user: User, session: IssuedRefreshToken): Promise<TokenPair> {
    const access = await this.#tokens.signAccessToken({ userId: user.id, username: user.username, sessionId: session.sessionId, role: user.role });
    return {
      accessToken: access.accessToken,
      accessTokenExpiresAtMs: access.expiresAtMs,
      refreshToken: session.refreshToken,
      refreshTokenExpiresAtMs: session.refreshTokenExpiresAtMs,
    };
  }

  /** Now and then, forgets old sign-in attempts and long-ended sessions. */
  async #maybePrune(nowMs: number): Promise<void> {
    if (nowMs - this.#lastPrunedAtMs < PRUNE_EVERY_MS) return;
    this.#lastPrunedAtMs = nowMs;
    try {
      await pruneSignInAttempts(this.#store.db, nowMs - Math.max(this.#lockout.windowMs, 86_400_000));
      await pruneSessions(this.#store.db, nowMs - KEEP_ENDED_SESSIONS_MS);
    } catch (error) {
      this.#logger?.warn({ err: error }, 'pruning old sign-in attempts and sessions failed; will retry later');
    }
  }
}
