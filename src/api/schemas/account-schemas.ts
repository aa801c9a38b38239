import type { SignedIn } from '../../accounts/accounts.js';
import { formatMoneyAmount } from '../../accounts/money.js';
import { PASSWORD_MAX_LENGTH } from '../../accounts/password-policy.js';
import { RISK_LEVELS } from '../../accounts/risk-levels.js';
import { ROLES } from '../../accounts/roles.js';
import type { User } from '../../accounts/user.js';
import { USERNAME_SCHEMA_PATTERN } from '../../accounts/username.js';

export const USERNAME = { type: 'string', minLength: 3, maxLength: 32, pattern: USERNAME_SCHEMA_PATTERN, examples: ['alice'] } as const;
/** Any text up to the maximum: the password policy itself gives the helpful message. */
export const PASSWORD = { type: 'string', minLength: 1, maxLength: PASSWORD_MAX_LENGTH, format: 'password' } as const;
export const RISK_LEVEL = { type: 'string', enum: RISK_LEVELS, description: 'How boldly stakes are sized (a fraction of full Kelly per level)' } as const;
export const ROLE = { type: 'string', enum: ROLES } as const;
export const USER_ID_PARAMS = {
  type: 'object',
  additionalProperties: false,
  required: ['userId'],
  properties: { userId: { type: 'integer', minimum: 1 } },
} as const;

/** A bankroll as a client sends it: the amount as a decimal string so no binary rounding touches it. */
export const BANKROLL_INPUT = {
  $id: 'BankrollInput',
  type: 'object',
  additionalProperties: false,
  required: ['amount'],
  properties: {
    amount: { type: 'string', pattern: '^(0|[1-9][0-9]{0,11})(\\.[0-9]{1,4})?$', description: 'Decimal, e.g. "1000.00"', examples: ['1000.00'] },
    currency: { type: 'string', pattern: '^[A-Z]{3}$', description: 'ISO 4217 code; default EUR at sign-up, unchanged otherwise', examples: ['EUR'] },
  },
} as const;

export const MONEY = {
  $id: 'Money',
  type: 'object',
  required: ['amount', 'currency', 'minorUnits'],
  properties: {
    amount: { type: 'string', description: 'Exact decimal with the currency’s minor digits', examples: ['1000.00'] },
    currency: { type: 'string', examples: ['EUR'] },
    minorUnits: { type: 'integer', description: 'The same amount in minor units (cents)', examples: [100000] },
  },
} as const;

export const USER = {
  $id: 'User',
  type: 'object',
  required: ['id', 'username', 'role', 'bankroll', 'riskLevel', 'disabled', 'createdAt', 'updatedAt'],
  properties: {
    id: { type: 'integer' },
    username: { type: 'string' },
    role: ROLE,
    bankroll: { $ref: 'Money#' },
    riskLevel: RISK_LEVEL,
    disabled: { type: 'boolean' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
} as const;

export const SESSION = {
  $id: 'Session',
  type: 'object',
  required: ['tokenType', 'accessToken', 'expiresIn', 'accessTokenExpiresAt', 'refreshToken', 'refreshTokenExpiresAt', 'user'],
  properties: {
    tokenType: { type: 'string', enum: ['Bearer'] },
    accessToken: { type: 'string', description: 'Send as `Authorization: Bearer <accessToken>`' },
    expiresIn: { type: 'integer', description: 'Seconds until the access token expires' },
    accessTokenExpiresAt: { type: 'string', format: 'date-time' },
    refreshToken: { type: 'string', description: 'Works once: POST it to /api/v1/auth/refresh for a new pair' },
    refreshTokenExpiresAt: { type: 'string', format: 'date-time' },
    user: { $ref: 'User#' },
  },
} as const;

export const SHARED_ACCOUNT_SCHEMAS = [BANKROLL_INPUT, MONEY, USER, SESSION] as const;

/** The JSON shape of a user. */
export function userJson(user: User) {
  return {
    id: user.id,
    username: user.username,
    role: user.role,
    bankroll: { amount: formatMoneyAmount(user.bankroll), currency: user.bankroll.currency, minorUnits: user.bankroll.minorUnits },
    riskLevel: user.riskLevel,
    disabled: user.disabled,
    createdAt: new Date(user.createdAtMs).toISOString(),
    updatedAt: new Date(user.updatedAtMs).toISOString(),
  };
}

/** The JSON shape of a signed-in session. */
export function sessionJson(signedIn: SignedIn, nowMs: number) {
  const { tokens } = signedIn;
  return {
    tokenType: 'Bearer' as const,
    accessToken: tokens.accessToken,
    expiresIn: Math.max(0, Math.round((tokens.accessTokenExpiresAtMs - nowMs) / 1000)),
    accessTokenExpiresAt: new Date(tokens.accessTokenExpiresAtMs).toISOString(),
    refreshToken: tokens.refreshToken,
    refreshTokenExpiresAt: new Date(tokens.refreshTokenExpiresAtMs).toISOString(),
    user: userJson(signedIn.user),
  };
}
