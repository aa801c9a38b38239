import { sql, type ColumnDefinitionBuilder, type Kysely, type Migration } from 'kysely';
import type { StoreCapabilities } from '../store.js';

/**
 * NBA shot-chart data (teams, players, games, shots) and served shot predictions with their
 * verifications. User ids are plain integers, not foreign keys: predictions and their audit trail
 * must outlive an account, and the accounts tables belong to another migration.
 */
export function nbaMigration(capabilities: StoreCapabilities): Migration {
  const identity = (col: ColumnDefinitionBuilder) =>
    capabilities.identityColumns ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey();
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('nba_teams')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('abbreviation', 'text')
        .addColumn('updated_at_ms', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('nba_players')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('position_group', 'text')
        .addColumn('position', 'text')
        .addColumn('updated_at_ms', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('nba_games')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('season', 'text', (c) => c.notNull())
        .addColumn('game_date', 'text', (c) => c.notNull())
        .addColumn('game_day_ms', 'bigint', (c) => c.notNull())
        .addColumn('home_team', 'text', (c) => c.notNull())
        .addColumn('away_team', 'text', (c) => c.notNull())
        .addColumn('home_team_id', 'integer', (c) => c.references('nba_teams.id'))
        .addColumn('away_team_id', 'integer', (c) => c.references('nba_teams.id'))
        .addColumn('updated_at_ms', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('nba_games_day_idx').on('nba_games').columns(['game_day_ms', 'id']).execute();

      await db.schema
        .createTable('nba_shots')
        .addColumn('id', 'integer', identity)
        .addColumn('shot_key', 'text', (c) => c.notNull().unique())
        .addColumn('game_id', 'integer', (c) => c.notNull().references('nba_games.id').onDelete('cascade'))
        .addColumn('player_id', 'integer', (c) => c.notNull().references('nba_players.id'))
        .addColumn('team_id', 'integer', (c) => c.notNull().references('nba_teams.id'))
        .addColumn('is_home', 'integer', (c) => c.notNull().check(sql`is_home in (0, 1)`))
        .addColumn('period', 'integer', (c) => c.notNull().check(sql`period >= 1`))
        .addColumn('seconds_left', 'integer', (c) => c.notNull().check(sql`seconds_left >= 0 and seconds_left <= 720`))
        .addColumn('loc_x', 'double precision', (c) => c.notNull())
        .addColumn('loc_y', 'double precision', (c) => c.notNull())
        .addColumn('distance_ft', 'integer', (c) => c.notNull().check(sql`distance_ft >= 0`))
        .addColumn('basic_zone', 'text', (c) => c.notNull())
        .addColumn('zone_area', 'text', (c) => c.notNull())
        .addColumn('zone_range', 'text', (c) => c.notNull())
        .addColumn('action_type', 'text', (c) => c.notNull())
        .addColumn('shot_type', 'text', (c) => c.notNull())
        .addColumn('made', 'integer', (c) => c.notNull().check(sql`made in (0, 1)`))
        .execute();
      await db.schema.createIndex('nba_shots_game_idx').on('nba_shots').column('game_id').execute();
      await db.schema.createIndex('nba_shots_player_idx').on('nba_shots').column('player_id').execute();

      await db.schema
        .createTable('shot_predictions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('model_name', 'text', (c) => c.notNull())
        .addColumn('model_version', 'integer', (c) => c.notNull())
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('created_by_user_id', 'integer')
        .addColumn('input_json', 'text', (c) => c.notNull())
        .addColumn('features_json', 'text', (c) => c.notNull())
        .addColumn('probability', 'double precision', (c) => c.notNull().check(sql`probability >= 0 and probability <= 1`))
        .addColumn('verified_outcome', 'integer', (c) => c.check(sql`verified_outcome in (0, 1)`))
        .addColumn('verified_by_user_id', 'integer')
        .addColumn('verified_at_ms', 'bigint')
        .addColumn('verifications', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('disputed', 'integer', (c) => c.notNull().defaultTo(0).check(sql`disputed in (0, 1)`))
        .execute();
      // "How many labels arrived since …" and "the labelled ones" are the retrain pipeline's questions.
      await db.schema.createIndex('shot_predictions_verified_idx').on('shot_predictions').columns(['verified_at_ms']).execute();
      await db.schema.createIndex('shot_predictions_created_idx').on('shot_predictions').columns(['created_at_ms']).execute();

      await db.schema
        .createTable('shot_verifications')
        .addColumn('id', 'integer', identity)
        .addColumn('prediction_id', 'text', (c) => c.notNull().references('shot_predictions.id').onDelete('cascade'))
        .addColumn('user_id', 'integer', (c) => c.notNull())
        .addColumn('outcome', 'integer', (c) => c.notNull().check(sql`outcome in (0, 1)`))
        .addColumn('verified_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('replaced_outcome', 'integer', (c) => c.check(sql`replaced_outcome in (0, 1)`))
        .execute();
      await db.schema
        .createIndex('shot_verifications_prediction_idx')
        .on('shot_verifications')
        .columns(['prediction_id', 'user_id', 'id'])
        .execute();
    },
    async down(db: Kysely<any>) {
      for (const table of ['shot_verifications', 'shot_predictions', 'nba_shots', 'nba_games', 'nba_players', 'nba_teams']) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}
