import { sql, type Kysely, type Selectable } from 'kysely';
import { TipsterError } from '../core/errors.js';
import type { UserTable } from '../store/account-tables.js';
import type { Database } from '../store/database-schema.js';
import { isUniqueViolation } from '../store/unique-violation.js';
import type { Money } from './money.js';
import { isRiskLevel, type RiskLevel } from './risk-levels.js';
import { isRole, type Role } from './roles.js';
import type { User } from './user.js';
import { usernameKey } from './username.js';

const USER_COLUMNS = ['id', 'username', 'role', 'bankroll_minor', 'currency', 'risk_level', 'disabled', 'created_at_ms', 'updated_at_ms'] as const;
type UserRow = Pick<Selectable<UserTable>, (typeof USER_COLUMNS)[number]>;

/** Maps a row to a User; a value the schema's CHECK constraints let through but the code does not know is a bug. */
function toUser(row: UserRow): User {
  if (!isRole(row.role) || !isRiskLevel(row.risk_level)) {
    throw new Error(`user ${row.id} has role "${row.role}" / risk "${row.risk_level}" unknown to this version`);
  }
  return Object.freeze({
    id: Number(row.id),
    username: row.username,
    role: row.role,
    bankroll: Object.freeze({ minorUnits: Number(row.bankroll_minor), currency: row.currency }),
    riskLevel: row.risk_level,
    disabled: row.disabled === 1,
    createdAtMs: Number(row.created_at_ms),
    updatedAtMs: Number(row.updated_at_ms),
  });
}

/** What a new account is made of. */
export interface NewUser {
  readonly username: string;
  readonly passwordHash: string;
  readonly role: Role;
  readonly bankroll: Money;
  readonly riskLevel: RiskLevel;
}

/** Inserts a user; TIPSTER_ERR_ACCOUNT_USERNAME_TAKEN when the username (in any case) exists. */
export async function insertUser(db: Kysely<Database>, user: NewUser, nowMs: number): Promise<User> {
  try {
    const row = await db
      .insertInto('users')
      .values({
        username: user.username,
        username_key: usernameKey(user.username),
        password_hash: user.passwordHash,
        role: user.role,
        bankroll_minor: user.bankroll.minorUnits,
        currency: user.bankroll.currency,
        risk_level: user.riskLevel,
        disabled: 0,
        created_at_ms: nowMs,
        updated_at_ms: nowMs,
        password_changed_at_ms: nowMs,
      })
      .returning(USER_COLUMNS)
      .executeTakeFirstOrThrow();
    return toUser(row);
  } catch (error) {
    if (isUniqueViolation(error)) throw new TipsterError('TIPSTER_ERR_ACCOUNT_USERNAME_TAKEN', { username: user.username }, { cause: error });
    throw error;
  }
}

/** The user with `id`, or undefined. */
export async function findUser(db: Kysely<Database>, id: number): Promise<User | undefined> {
  const row = await db.selectFrom('users').select(USER_COLUMNS).where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : toUser(row);
}

/** The user with `id`; TIPSTER_ERR_ACCOUNT_USER_NOT_FOUND otherwise. */
export async function getUser(db: Kysely<Database>, id: number): Promise<User> {
  const user = await findUser(db, id);
  if (user === undefined) throw new TipsterError('TIPSTER_ERR_ACCOUNT_USER_NOT_FOUND', { userId: id });
  return user;
}

/** A user and their password hash, by case-insensitive username, for sign-in. */
export async function findCredentials(db: Kysely<Database>, username: string): Promise<{ user: User; passwordHash: string } | undefined> {
  const row = await db
    .selectFrom('users')
    .select([...USER_COLUMNS, 'password_hash'])
    .where('username_key', '=', usernameKey(username))
    .executeTakeFirst();
  return row === undefined ? undefined : { user: toUser(row), passwordHash: row.password_hash };
}

/** The password hash of user `id`, or undefined. */
export async function findPasswordHash(db: Kysely<Database>, id: number): Promise<string | undefined> {
  const row = await db.selectFrom('users').select('password_hash').where('id', '=', id).executeTakeFirst();
  return row?.password_hash;
}

/** Fields an update may change; absent fields stay as they are. */
export interface UserChanges {
  readonly role?: Role;
  readonly bankroll?: Money;
  readonly riskLevel?: RiskLevel;
  readonly disabled?: boolean;
  readonly passwordHash?: string;
}

/** Applies `changes` to user `id` and returns it as stored afterwards. */
export async function updateUser(db: Kysely<Database>, id: number, changes: UserChanges, nowMs: number): Promise<User> {
  const row = await db
    .updateTable('users')
    .set({
      updated_at_ms: nowMs,
      ...(changes.role !== undefined ? { role: changes.role } : {}),
      ...(changes.bankroll !== undefined ? { bankroll_minor: changes.bankroll.minorUnits, currency: changes.bankroll.currency } : {}),
      ...(changes.riskLevel !== undefined ? { risk_level: changes.riskLevel } : {}),
      ...(changes.disabled !== undefined ? { disabled: changes.disabled ? 1 : 0 } : {}),
      ...(changes.passwordHash !== undefined ? { password_hash: changes.passwordHash, password_changed_at_ms: nowMs } : {}),
    })
    .where('id', '=', id)
    .returning(USER_COLUMNS)
    .executeTakeFirst();
  if (row === undefined) throw new TipsterError('TIPSTER_ERR_ACCOUNT_USER_NOT_FOUND', { userId: id });
  return toUser(row);
}

/** Deletes user `id` (their sessions and refresh tokens go with them). */
export async function deleteUser(db: Kysely<Database>, id: number): Promise<void> {
  const result = await db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw new TipsterError('TIPSTER_ERR_ACCOUNT_USER_NOT_FOUND', { userId: id });
}

/** Number of admins who can sign in. */
export async function countActiveAdmins(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('disabled', '=', 0)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A page of users ordered by id: filter by role and by a case-insensitive username fragment. */
export async function listUsers(
  db: Kysely<Database>,
  query: { readonly role?: Role; readonly usernameContains?: string; readonly afterId?: number; readonly limit: number },
): Promise<User[]> {
  let select = db.selectFrom('users').select(USER_COLUMNS).orderBy('id').limit(query.limit);
  if (query.role !== undefined) select = select.where('role', '=', query.role);
  if (query.afterId !== undefined) select = select.where('id', '>', query.afterId);
  if (query.usernameContains !== undefined && query.usernameContains !== '') {
    // LIKE wildcards in the fragment match themselves; ESCAPE is explicit because SQLite has no default.
    const fragment = usernameKey(query.usernameContains).replaceAll('\\', '\\\\').replaceAll('%', '\\%').replaceAll('_', '\\_');
    select = select.where(sql<boolean>`username_key like ${`%${fragment}%`} escape '\\'`);
  }
  return (await select.execute()).map(toUser);
}
