import type { Money } from './money.js';
import type { RiskLevel } from './risk-levels.js';
import type { Role } from './roles.js';

/** A Tipster account as the rest of the program sees it (never with its password hash). */
export interface User {
  readonly id: number;
  readonly username: string;
  readonly role: Role;
  readonly bankroll: Money;
  readonly riskLevel: RiskLevel;
  readonly disabled: boolean;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
}

/** Who is calling: the signed-in user behind a verified access token and live session. */
export interface Principal {
  readonly userId: number;
  readonly username: string;
  readonly role: Role;
  readonly sessionId: string;
}

/** Who made a change, as recorded in the audit trail. */
export interface Actor {
  /** Null for the CLI and the server itself. */
  readonly userId: number | null;
  /** Username, `cli:<os user>` or `system`. */
  readonly name: string;
  readonly requestId?: string;
}
