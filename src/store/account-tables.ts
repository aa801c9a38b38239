import type { Generated } from 'kysely';

/** Accounts: users, sign-in sessions with their refresh tokens, sign-in attempts, and the audit trail. */
export interface AccountTables {
  users: UserTable;
  sessions: SessionTable;
  refresh_tokens: RefreshTokenTable;
  login_attempts: LoginAttemptTable;
  audit_events: AuditEventTable;
}

export interface UserTable {
  id: Generated<number>;
  /** As the user typed it at sign-up. */
  username: string;
  /** Lower-cased username: unique, so Alice and alice are one account on every backend. */
  username_key: string;
  /** argon2id PHC string (algorithm, parameters, salt and hash). */
  password_hash: string;
  role: string;
  /** Exact bankroll in minor units (cents) of `currency`. */
  bankroll_minor: number;
  currency: string;
  risk_level: string;
  /** 1 when an admin has disabled the account (it cannot sign in; its sessions are revoked). */
  disabled: number;
  created_at_ms: number;
  updated_at_ms: number;
  password_changed_at_ms: number;
}

export interface SessionTable {
  /** UUID; access tokens name it (`sid`) so revoking the session ends them too. */
  id: string;
  user_id: number;
  created_at_ms: number;
  last_used_at_ms: number;
  /** When the newest refresh token expires; the session ends then unless refreshed. */
  expires_at_ms: number;
  revoked_at_ms: number | null;
  revoked_reason: string | null;
}

export interface RefreshTokenTable {
  /** SHA-256 of the token: the token itself is never stored. */
  token_hash: string;
  session_id: string;
  issued_at_ms: number;
  expires_at_ms: number;
  /** Set when exchanged; presenting a used token again means it was stolen, and ends the session. */
  used_at_ms: number | null;
}

export interface LoginAttemptTable {
  id: Generated<number>;
  /** Lower-cased username as typed, whether or not such a user exists. */
  username_key: string;
  ip: string;
  succeeded: number;
  at_ms: number;
}

export interface AuditEventTable {
  id: Generated<number>;
  at_ms: number;
  /** Null for actions not made by a user (the CLI, the server itself). */
  actor_user_id: number | null;
  /** Username, or `cli:<os user>` / `system`. */
  actor: string;
  /** Dotted verb, e.g. `user.update`, `user.delete`, `user.create-admin`. */
  action: string;
  target_user_id: number | null;
  /** The target's username, kept even after the user is deleted. */
  target: string | null;
  /** JSON object: what changed (before/after), the reason given. */
  details: string;
  request_id: string | null;
}
