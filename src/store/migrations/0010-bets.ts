import { sql, type ColumnDefinitionBuilder, type Kysely, type Migration } from 'kysely';
import type { StoreCapabilities } from '../store.js';

/**
 * The bet ledger: bets users record (open until their match's result is known, then settled once)
 * and each user's bankroll entries (stakes out, returns in, adjustments made elsewhere), so bankroll
 * history, profit/loss, ROI, yield and closing-line value are read from the store, never recomputed
 * from mutable state.
 */
export function betsMigration(capabilities: StoreCapabilities): Migration {
  const identity = (col: ColumnDefinitionBuilder) =>
    capabilities.identityColumns ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey();
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('bets')
        .addColumn('id', 'integer', identity)
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('match_id', 'integer', (c) => c.notNull().references('matches.id').onDelete('cascade'))
        .addColumn('market', 'text', (c) => c.notNull().check(sql`market in ('1x2', 'ou', 'ah', 'btts')`))
        .addColumn('line', 'double precision', (c) => c.notNull().defaultTo(0))
        .addColumn('selection', 'text', (c) => c.notNull())
        .addColumn('price', 'double precision', (c) => c.notNull().check(sql`price > 1`))
        .addColumn('stake_minor', 'bigint', (c) => c.notNull().check(sql`stake_minor > 0`))
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('bookmaker', 'text')
        .addColumn('placed_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('placed_as_of_ms', 'bigint', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'settled')`))
        .addColumn('outcome', 'text', (c) => c.check(sql`outcome in ('won', 'half-won', 'push', 'half-lost', 'lost')`))
        .addColumn('return_minor', 'bigint')
        .addColumn('closing_price', 'double precision')
        .addColumn('settled_at_ms', 'bigint')
        .execute();
      await db.schema.createIndex('bets_user_idx').on('bets').columns(['user_id', 'status', 'id']).execute();
      // Settlement asks "open bets on matches that have a result".
      await db.schema.createIndex('bets_open_match_idx').on('bets').columns(['status', 'match_id']).execute();
      await db.schema
        .createTable('bankroll_entries')
        .addColumn('id', 'integer', identity)
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('at_ms', 'bigint', (c) => c.notNull())
        .addColumn('as_of_ms', 'bigint', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('opening', 'adjustment', 'stake', 'return')`))
        .addColumn('amount_minor', 'bigint', (c) => c.notNull())
        .addColumn('balance_minor', 'bigint', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('bet_id', 'integer', (c) => c.references('bets.id').onDelete('set null'))
        .execute();
      await db.schema.createIndex('bankroll_entries_user_idx').on('bankroll_entries').columns(['user_id', 'id']).execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('bankroll_entries').execute();
      await db.schema.dropTable('bets').execute();
    },
  };
}
