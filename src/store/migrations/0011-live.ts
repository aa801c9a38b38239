import { sql, type Kysely, type Migration } from 'kysely';
import type { StoreCapabilities } from '../store.js';

/** The live match centre: followed matches, their applied events and probability history. */
export function liveMigration(capabilities: StoreCapabilities): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('live_matches')
        .addColumn('match_id', 'text', (c) => c.primaryKey())
        .addColumn('home_team', 'text', (c) => c.notNull())
        .addColumn('away_team', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('live', 'finished')`))
        .addColumn('last_index', 'integer', (c) => c.notNull())
        .addColumn('pre_home_goals', 'double precision', (c) => c.notNull())
        .addColumn('pre_away_goals', 'double precision', (c) => c.notNull())
        .addColumn('model_version', 'text', (c) => c.notNull())
        .addColumn('state_json', 'text', (c) => c.notNull())
        .addColumn('probability_json', 'text', (c) => c.notNull())
        .addColumn('started_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('updated_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('finished_at_ms', 'bigint')
        .execute();
      // "Live and recent matches" lists by status and recency.
      await db.schema.createIndex('live_matches_recent_idx').on('live_matches').columns(['status', 'updated_at_ms']).execute();

      let events = db.schema
        .createTable('live_events')
        .addColumn('match_id', 'text', (c) => c.notNull().references('live_matches.match_id').onDelete('cascade'))
        .addColumn('event_index', 'integer', (c) => c.notNull())
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('event_json', 'text', (c) => c.notNull())
        .addColumn('received_at_ms', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('live_events_pk', ['match_id', 'event_index'])
        .addUniqueConstraint('live_events_id_unique', ['match_id', 'event_id']);
      if (capabilities.withoutRowidTables) events = events.modifyEnd(sql`without rowid`);
      await events.execute();

      let probabilities = db.schema
        .createTable('live_probabilities')
        .addColumn('match_id', 'text', (c) => c.notNull().references('live_matches.match_id').onDelete('cascade'))
        .addColumn('event_index', 'integer', (c) => c.notNull())
        .addColumn('period', 'integer', (c) => c.notNull())
        .addColumn('minute', 'integer', (c) => c.notNull())
        .addColumn('second', 'integer', (c) => c.notNull())
        .addColumn('home_score', 'integer', (c) => c.notNull())
        .addColumn('away_score', 'integer', (c) => c.notNull())
        .addColumn('p_home', 'double precision', (c) => c.notNull())
        .addColumn('p_draw', 'double precision', (c) => c.notNull())
        .addColumn('p_away', 'double precision', (c) => c.notNull())
        .addColumn('p_next_home', 'double precision', (c) => c.notNull())
        .addColumn('p_next_none', 'double precision', (c) => c.notNull())
        .addColumn('p_next_away', 'double precision', (c) => c.notNull())
        .addColumn('model_version', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('live_probabilities_pk', ['match_id', 'event_index']);
      if (capabilities.withoutRowidTables) probabilities = probabilities.modifyEnd(sql`without rowid`);
      await probabilities.execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('live_probabilities').execute();
      await db.schema.dropTable('live_events').execute();
      await db.schema.dropTable('live_matches').execute();
    },
  };
}
