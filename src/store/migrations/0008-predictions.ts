import { sql, type Kysely, type Migration } from 'kysely';
import type { StoreCapabilities } from '../store.js';

/** Pre-match predictions of registered model versions, one row per (match, model, version). */
export function predictionsMigration(capabilities: StoreCapabilities): Migration {
  return {
    async up(db: Kysely<any>) {
      let table = db.schema
        .createTable('match_predictions')
        .addColumn('match_id', 'integer', (c) => c.notNull().references('matches.id').onDelete('cascade'))
        .addColumn('model_name', 'text', (c) => c.notNull())
        .addColumn('model_version', 'integer', (c) => c.notNull())
        .addColumn('as_of_ms', 'bigint', (c) => c.notNull())
        .addColumn('predicted_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('p_home', 'double precision', (c) => c.notNull().check(sql`p_home >= 0 and p_home <= 1`))
        .addColumn('p_draw', 'double precision', (c) => c.notNull().check(sql`p_draw >= 0 and p_draw <= 1`))
        .addColumn('p_away', 'double precision', (c) => c.notNull().check(sql`p_away >= 0 and p_away <= 1`))
        .addColumn('home_goals_expected', 'double precision')
        .addColumn('away_goals_expected', 'double precision')
        .addColumn('pipeline_run_id', 'text')
        .addPrimaryKeyConstraint('match_predictions_pk', ['match_id', 'model_name', 'model_version'])
        .addForeignKeyConstraint(
          'match_predictions_version_fk',
          ['model_name', 'model_version'],
          'model_versions',
          ['model_name', 'version'],
          (fk) => fk.onDelete('cascade'),
        );
      if (capabilities.withoutRowidTables) table = table.modifyEnd(sql`without rowid`);
      await table.execute();
      // Serving asks "the predictions of this version for these upcoming matches".
      await db.schema
        .createIndex('match_predictions_version_idx')
        .on('match_predictions')
        .columns(['model_name', 'model_version', 'match_id'])
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('match_predictions').execute();
    },
  };
}
