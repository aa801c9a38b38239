import { sql, type ColumnDefinitionBuilder, type Kysely, type Migration } from 'kysely';
import type { StoreCapabilities } from '../store.js';

/** Accounts: users, sessions, refresh tokens (hashed), sign-in attempts for lockout, and the audit trail. */
export function accountsMigration(capabilities: StoreCapabilities): Migration {
  const id = (col: ColumnDefinitionBuilder) =>
    capabilities.identityColumns ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey();
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('users')
        .addColumn('id', 'integer', id)
        .addColumn('username', 'text', (c) => c.notNull())
        .addColumn('username_key', 'text', (c) => c.notNull().unique())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('free', 'premium', 'admin')`))
        .addColumn('bankroll_minor', 'bigint', (c) => c.notNull().check(sql`bankroll_minor >= 0`))
        .addColumn('currency', 'text', (c) => c.notNull().check(sql`length(currency) = 3`))
        .addColumn('risk_level', 'text', (c) => c.notNull().check(sql`risk_level in ('low', 'medium', 'high')`))
        .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0).check(sql`disabled in (0, 1)`))
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('updated_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('password_changed_at_ms', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('users_role_idx').on('users').columns(['role', 'disabled']).execute();
      await db.schema
        .createTable('sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('last_used_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('expires_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('revoked_at_ms', 'bigint')
        .addColumn('revoked_reason', 'text')
        .execute();
      await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();
      await db.schema
        .createTable('refresh_tokens')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
        .addColumn('issued_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('expires_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('used_at_ms', 'bigint')
        .execute();
      await db.schema.createIndex('refresh_tokens_session_idx').on('refresh_tokens').column('session_id').execute();
      await db.schema
        .createTable('login_attempts')
        .addColumn('id', 'integer', id)
        .addColumn('username_key', 'text', (c) => c.notNull())
        .addColumn('ip', 'text', (c) => c.notNull())
        .addColumn('succeeded', 'integer', (c) => c.notNull().check(sql`succeeded in (0, 1)`))
        .addColumn('at_ms', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('login_attempts_username_idx').on('login_attempts').columns(['username_key', 'at_ms']).execute();
      await db.schema.createIndex('login_attempts_ip_idx').on('login_attempts').columns(['ip', 'at_ms']).execute();
      await db.schema
        .createTable('audit_events')
        .addColumn('id', 'integer', id)
        .addColumn('at_ms', 'bigint', (c) => c.notNull())
        .addColumn('actor_user_id', 'integer')
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target_user_id', 'integer')
        .addColumn('target', 'text')
        .addColumn('details', 'text', (c) => c.notNull())
        .addColumn('request_id', 'text')
        .execute();
      await db.schema.createIndex('audit_events_target_idx').on('audit_events').columns(['target_user_id', 'id']).execute();
    },
    async down(db: Kysely<any>) {
      for (const table of ['audit_events', 'login_attempts', 'refresh_tokens', 'sessions', 'users']) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}
