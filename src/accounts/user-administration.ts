import type { Kysely } from 'kysely';
import { TipsterError } from '../core/errors.js';
import type { Database } from '../store/database-schema.js';
import type { Store } from '../store/store.js';
import { appendAuditEvent, listAuditEvents, type AuditEvent } from './audit-log.js';
import { generatePassword } from './generate-password.js';
import { formatMoneyAmount, parseMoney } from './money.js';
import type { PasswordHasher } from './password-hasher.js';
import { assertStrongPassword } from './password-policy.js';
import type { RiskLevel } from './risk-levels.js';
import type { Role } from './roles.js';
import { revokeUserSessions } from './session-queries.js';
import type { Actor, User } from './user.js';
import { countActiveAdmins, deleteUser, getUser, insertUser, listUsers, updateUser, type UserChanges } from './user-queries.js';
import { assertValidUsername } from './username.js';

/** What an administrator may change about a user; absent fields stay as they are. */
export interface UserPatch {
  readonly role?: Role;
  readonly bankroll?: { readonly amount: string; readonly currency?: string };
  readonly riskLevel?: RiskLevel;
  readonly disabled?: boolean;
}

/** One page of a user listing. */
export interface UserPage {
  readonly users: readonly User[];
  /** Pass back to get the next page; null on the last page. */
  readonly nextPageToken: string | null;
}

/** The username `ensureFirstAdmin` gives the admin it creates. */
export const FIRST_ADMIN_USERNAME = 'admin';

/** Administration of users: list, change role/bankroll/risk, disable, delete; every change is audited. */
export class UserAdministration {
  readonly #store: Store;
  readonly #hasher: PasswordHasher;
  readonly #now: () => number;
  readonly #onChange: () => void;

  constructor(store: Store, options: { readonly hasher: PasswordHasher; readonly now: () => number; readonly onChange: () => void }) {
    this.#store = store;
    this.#hasher = options.hasher;
    this.#now = options.now;
    this.#onChange = options.onChange;
  }

  /** Users ordered by id, filtered by role and username fragment. */
  async listUsers(query: { readonly role?: Role; readonly usernameContains?: string; readonly pageToken?: string; readonly limit: number }): Promise<UserPage> {
    const afterId = query.pageToken === undefined ? undefined : Number(query.pageToken);
    const users = await listUsers(this.#store.db, {
      limit: query.limit + 1,
      ...(afterId !== undefined ? { afterId } : {}),
      ...(query.role !== undefined ? { role: query.role } : {}),
      ...(query.usernameContains !== undefined ? { usernameContains: query.usernameContains } : {}),
    });
    const page = users.slice(0, query.limit);
    return { users: page, nextPageToken: users.length > query.limit ? String(page[page.length - 1]!.id) : null };
  }

  /** One user; TIPSTER_ERR_ACCOUNT_USER_NOT_FOUND otherwise. */
  async getUser(userId: number): Promise<User> {
    return getUser(this.#store.db, userId);
  }

  /**
   * Changes a user and records who did it, what changed and why, in one transaction. Disabling ends
   * the user's sessions. Refuses to leave the system without an active admin.
   */
  async updateUser(actor: Actor, userId: number, patch: UserPatch, reason?: string): Promise<User> {
    const result = await this.#store.db.transaction().execute(async (trx) => {
      const before = await getUser(trx, userId);
      const changes: UserChanges = {
        ...(patch.role !== undefined && patch.role !== before.role ? { role: patch.role } : {}),
        ...(patch.riskLevel !== undefined && patch.riskLevel !== before.riskLevel ? { riskLevel: patch.riskLevel } : {}),
        ...(patch.disabled !== undefined && patch.disabled !== before.disabled ? { disabled: patch.disabled } : {}),
        ...(patch.bankroll !== undefined ? { bankroll: parseMoney(patch.bankroll.amount, patch.bankroll.currency ?? before.bankroll.currency) } : {}),
      };
      const losesAdmin = before.role === 'admin' && !before.disabled && ((changes.role !== undefined && changes.role !== 'admin') || changes.disabled === true);
      if (losesAdmin) await assertAnotherActiveAdmin(trx);
      const nowMs = this.#now();
      const after = await updateUser(trx, userId, changes, nowMs);
      let endedSessions = 0;
      if (changes.disabled === true) endedSessions = await revokeUserSessions(trx, userId, 'account disabled', nowMs);
      await appendAuditEvent(
        trx,
        { actor, action: 'user.update', target: { userId, username: before.username }, details: { changes: describeChanges(before, after), ...(reason ? { reason } : {}), ...(endedSessions ? { endedSessions } : {}) } },
        nowMs,
      );
      return after;
    });
    this.#onChange();
    return result;
  }

  /** Deletes a user with their sessions; the audit trail keeps their username. */
  async deleteUser(actor: Actor, userId: number, reason?: string): Promise<void> {
    await this.#store.db.transaction().execute(async (trx) => {
      const user = await getUser(trx, userId);
      if (user.role === 'admin' && !user.disabled) await assertAnotherActiveAdmin(trx);
      await deleteUser(trx, userId);
      await appendAuditEvent(
        trx,
        { actor, action: 'user.delete', target: { userId, username: user.username }, details: { role: user.role, ...(reason ? { reason } : {}) } },
        this.#now(),
      );
    });
    this.#onChange();
  }

  /** The audit trail, newest first. */
  async listAuditEvents(query: { readonly targetUserId?: number; readonly beforeId?: number; readonly limit: number }): Promise<AuditEvent[]> {
    return listAuditEvents(this.#store.db, query);
  }

  /** Creates an administrator (audited); the password must pass the policy. */
  async createAdmin(actor: Actor, account: { readonly username: string; readonly password: string }): Promise<User> {
    assertValidUsername(account.username);
    assertStrongPassword(account.password, { username: account.username });
    const passwordHash = await this.#hasher.hashPassword(account.password);
    const nowMs = this.#now();
    const user = await this.#store.db.transaction().execute(async (trx) => {
      const user = await insertUser(trx, { username: account.username, passwordHash, role: 'admin', bankroll: { minorUnits: 0, currency: 'EUR' }, riskLevel: 'medium' }, nowMs);
      await appendAuditEvent(trx, { actor, action: 'user.create-admin', target: { userId: user.id, username: user.username }, details: {} }, nowMs);
      return user;
    });
    this.#onChange();
    return user;
  }

  /** True when at least one admin can sign in. */
  async hasActiveAdmin(): Promise<boolean> {
    return (await countActiveAdmins(this.#store.db)) > 0;
  }

  /**
   * On a store with no active admin, creates `admin` with a generated password and returns both,
   * to be shown once. Returns `exists` when there is an admin, `username-taken` when a non-admin
   * already holds the name (then `tipster users create-admin` is the way).
   */
  async ensureFirstAdmin(): Promise<{ readonly status: 'created'; readonly username: string; readonly password: string } | { readonly status: 'exists' | 'username-taken' }> {
    if (await this.hasActiveAdmin()) return { status: 'exists' };
    const password = generatePassword();
    try {
      await this.createAdmin({ userId: null, name: 'system' }, { username: FIRST_ADMIN_USERNAME, password });
    } catch (error) {
      if (!(error instanceof TipsterError && error.code === 'TIPSTER_ERR_ACCOUNT_USERNAME_TAKEN')) throw error;
      // Another process starting at the same time may have just created it.
      return { status: (await this.hasActiveAdmin()) ? 'exists' : 'username-taken' };
    }
    return { status: 'created', username: FIRST_ADMIN_USERNAME, password };
  }
}

async function assertAnotherActiveAdmin(db: Kysely<Database>): Promise<void> {
  if ((await countActiveAdmins(db)) <= 1) throw new TipsterError('TIPSTER_ERR_ACCOUNT_LAST_ADMIN');
}

function describeChanges(before: User, after: User): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  if (before.role !== after.role) changes.role = { from: before.role, to: after.role };
  if (before.riskLevel !== after.riskLevel) changes.riskLevel = { from: before.riskLevel, to: after.riskLevel };
  if (before.disabled !== after.disabled) changes.disabled = { from: before.disabled, to: after.disabled };
  if (before.bankroll.minorUnits !== after.bankroll.minorUnits || before.bankroll.currency !== after.bankroll.currency) {
    changes.bankroll = {
      from: `${formatMoneyAmount(before.bankroll)} ${before.bankroll.currency}`,
      to: `${formatMoneyAmount(after.bankroll)} ${after.bankroll.currency}`,
    };
  }
  return changes;
}
