import { sql, type ColumnDefinitionBuilder, type Kysely, type Migration } from 'kysely';
import type { StoreCapabilities } from '../store.js';

// A migration is a frozen snapshot of the schema at one version: it keeps its own column list rather
// than importing one that may change later.
const STAT_COLUMNS = [
  'shots',
  'shots_on_target',
  'woodwork',
  'corners',
  'fouls',
  'free_kicks_conceded',
  'offsides',
  'yellow_cards',
  'red_cards',
  'booking_points',
] as const;

/** Competitions, seasons, teams with aliases, matches with stats, bookmakers, normalised odds, ingest log. */
export function footballMigration(capabilities: StoreCapabilities): Migration {
  const id = (col: ColumnDefinitionBuilder) =>
    capabilities.identityColumns ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey();
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('competitions')
        .addColumn('id', 'integer', id)
        .addColumn('code', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('country', 'text')
        .addColumn('sport', 'text', (c) => c.notNull())
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('seasons')
        .addColumn('id', 'integer', id)
        .addColumn('competition_id', 'integer', (c) => c.notNull().references('competitions.id').onDelete('cascade'))
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('start_year', 'integer', (c) => c.notNull())
        .addUniqueConstraint('seasons_competition_code_unique', ['competition_id', 'code'])
        .execute();

      await db.schema
        .createTable('teams')
        .addColumn('id', 'integer', id)
        .addColumn('competition_id', 'integer', (c) => c.notNull().references('competitions.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addUniqueConstraint('teams_competition_name_unique', ['competition_id', 'name'])
        .execute();

      // Every spelling a source uses for a team, the canonical name included, resolves through this table.
      await db.schema
        .createTable('team_aliases')
        .addColumn('competition_id', 'integer', (c) => c.notNull().references('competitions.id').onDelete('cascade'))
        .addColumn('alias', 'text', (c) => c.notNull())
        .addColumn('team_id', 'integer', (c) => c.notNull().references('teams.id').onDelete('cascade'))
        .addPrimaryKeyConstraint('team_aliases_pk', ['competition_id', 'alias'])
        .execute();

      let matches = db.schema
        .createTable('matches')
        .addColumn('id', 'integer', id)
        .addColumn('competition_id', 'integer', (c) => c.notNull().references('competitions.id').onDelete('cascade'))
        .addColumn('season_id', 'integer', (c) => c.notNull().references('seasons.id').onDelete('cascade'))
        .addColumn('home_team_id', 'integer', (c) => c.notNull().references('teams.id'))
        .addColumn('away_team_id', 'integer', (c) => c.notNull().references('teams.id'))
        .addColumn('kickoff_date', 'text', (c) => c.notNull())
        .addColumn('kickoff_time', 'text')
        .addColumn('kickoff_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('scheduled', 'finished')`))
        .addColumn('ft_home', 'integer')
        .addColumn('ft_away', 'integer')
        .addColumn('ht_home', 'integer')
        .addColumn('ht_away', 'integer')
        .addColumn('referee', 'text')
        .addColumn('attendance', 'integer');
      for (const stat of STAT_COLUMNS) {
        matches = matches.addColumn(`home_${stat}`, 'integer').addColumn(`away_${stat}`, 'integer');
      }
      // In a league season each pair meets once at each ground: the natural key that lets a fixture row
      // be completed by its result later, and a re-download update rows instead of duplicating them.
      await matches
        .addColumn('updated_at_ms', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('matches_season_pair_unique', ['season_id', 'home_team_id', 'away_team_id'])
        .addCheckConstraint('matches_distinct_teams', sql`home_team_id <> away_team_id`)
        .execute();
      await db.schema
        .createIndex('matches_competition_kickoff_idx')
        .on('matches')
        .columns(['competition_id', 'kickoff_at_ms'])
        .execute();
      await db.schema.createIndex('matches_home_team_idx').on('matches').column('home_team_id').execute();
      await db.schema.createIndex('matches_away_team_idx').on('matches').column('away_team_id').execute();

      await db.schema
        .createTable('bookmakers')
        .addColumn('id', 'integer', id)
        .addColumn('slug', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('bookmaker', 'exchange', 'aggregate')`))
        .execute();

      let odds = db.schema
        .createTable('odds')
        .addColumn('match_id', 'integer', (c) => c.notNull().references('matches.id').onDelete('cascade'))
        .addColumn('bookmaker_id', 'integer', (c) => c.notNull().references('bookmakers.id'))
        .addColumn('market', 'text', (c) => c.notNull().check(sql`market in ('1x2', 'ou', 'ah')`))
        .addColumn('line', 'double precision', (c) => c.notNull())
        .addColumn('selection', 'text', (c) =>
          c.notNull().check(sql`selection in ('home', 'draw', 'away', 'over', 'under')`),
        )
        .addColumn('phase', 'text', (c) => c.notNull().check(sql`phase in ('pre', 'close')`))
        .addColumn('price', 'double precision', (c) => c.notNull().check(sql`price > 1`))
        .addPrimaryKeyConstraint('odds_pk', ['match_id', 'bookmaker_id', 'market', 'line', 'selection', 'phase']);
      if (capabilities.withoutRowidTables) odds = odds.modifyEnd(sql`without rowid`);
      await odds.execute();

      await db.schema
        .createTable('ingested_files')
        .addColumn('id', 'integer', id)
        .addColumn('provider', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('parser_version', 'integer', (c) => c.notNull())
        .addColumn('bytes', 'bigint', (c) => c.notNull())
        .addColumn('data_rows', 'integer', (c) => c.notNull())
        .addColumn('records', 'integer', (c) => c.notNull())
        .addColumn('skipped_rows', 'integer', (c) => c.notNull())
        .addColumn('warnings', 'integer', (c) => c.notNull())
        .addColumn('ingested_at_ms', 'bigint', (c) => c.notNull())
        // The same bytes read by the same parser version produce the same rows: loading them again is skipped.
        .addUniqueConstraint('ingested_files_content_unique', ['provider', 'sha256', 'parser_version'])
        .execute();
    },
    async down(db: Kysely<any>) {
      for (const table of ['ingested_files', 'odds', 'bookmakers', 'matches', 'team_aliases', 'teams', 'seasons', 'competitions']) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}
