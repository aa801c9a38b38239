import type { Principal } from './user.js';

interface Entry {
  readonly principal: Principal | null;
  readonly reason: string;
  readonly checkedAtMs: number;
}

const MAX_ENTRIES = 50_000;

/**
 * Remembers, per session id, what the store said about the caller (role, revoked, disabled) for a
 * short time, so an authenticated request costs no query. Changes made in this process clear it at
 * once; changes made by another process are seen within `ttlMs`.
 */
export class SessionCheckCache {
  readonly #entries = new Map<string, Entry>();
  readonly #ttlMs: number;

  constructor(ttlMs: number) {
    this.#ttlMs = ttlMs;
  }

  /** The cached verdict for `sessionId`, or undefined when none is fresh. */
  get(sessionId: string, nowMs: number): Entry | undefined {
    const entry = this.#entries.get(sessionId);
    if (entry === undefined || nowMs - entry.checkedAtMs >= this.#ttlMs) return undefined;
    return entry;
  }

  set(sessionId: string, principal: Principal | null, reason: string, nowMs: number): void {
    if (this.#ttlMs <= 0) return;
    if (this.#entries.size >= MAX_ENTRIES) this.#entries.clear();
    this.#entries.set(sessionId, { principal, reason, checkedAtMs: nowMs });
  }

  /** Forgets everything: called after any change to users or sessions. */
  clear(): void {
    this.#entries.clear();
  }
}
