import type { Kysely } from 'kysely';
import type { Database } from './database-schema.js';

/** What the store holds for one competition season. */
export interface SeasonStatus {
  readonly competition: string;
  readonly competitionName: string;
  readonly season: string;
  readonly seasonLabel: string;
  readonly matches: number;
  readonly finished: number;
  readonly scheduled: number;
  readonly teams: number;
  readonly odds: number;
  readonly bookmakers: number;
  readonly firstDate: string | null;
  readonly lastDate: string | null;
}

/** Store contents per competition and season, plus totals. */
export interface StoreStatus {
  readonly seasons: readonly SeasonStatus[];
  readonly totals: {
    readonly competitions: number;
    readonly seasons: number;
    readonly teams: number;
    readonly matches: number;
    readonly odds: number;
    readonly bookmakers: number;
    readonly ingestedFiles: number;
  };
}

/** Summarises the store per competition and season, ordered by competition code then season. */
export async function summarizeStore(db: Kysely<Database>): Promise<StoreStatus> {
  const seasonRows = await db
    .selectFrom('seasons as s')
    .innerJoin('competitions as c', 'c.id', 's.competition_id')
    .leftJoin('matches as m', 'm.season_id', 's.id')
    .select((eb) => [
      's.id as seasonId',
      'c.code as competition',
      'c.name as competitionName',
      's.code as season',
      's.label as seasonLabel',
      's.start_year as startYear',
      eb.fn.count<number>('m.id').as('matches'),
      eb.fn.sum<number>(eb.case().when('m.status', '=', 'finished').then(1).else(0).end()).as('finished'),
      eb.fn.min<string | null>('m.kickoff_date').as('firstDate'),
      eb.fn.max<string | null>('m.kickoff_date').as('lastDate'),
    ])
    .groupBy(['s.id', 'c.code', 'c.name', 's.code', 's.label', 's.start_year'])
    .orderBy('c.code')
    .orderBy('s.start_year')
    .execute();

  const teamRows = await db
    .selectFrom('matches')
    .select((eb) => [
      'season_id as seasonId',
      eb.fn.count<number>('home_team_id').distinct().as('teams'),
    ])
    .groupBy('season_id')
    .execute();
  const oddsRows = await db
    .selectFrom('odds as o')
    .innerJoin('matches as m', 'm.id', 'o.match_id')
    .select((eb) => [
      'm.season_id as seasonId',
      eb.fn.countAll<number>().as('odds'),
      eb.fn.count<number>('o.bookmaker_id').distinct().as('bookmakers'),
    ])
    .groupBy('m.season_id')
    .execute();
  const teamsBySeason = new Map(teamRows.map((r) => [r.seasonId, Number(r.teams)]));
  const oddsBySeason = new Map(oddsRows.map((r) => [r.seasonId, r]));

  const seasons: SeasonStatus[] = seasonRows.map((row) => {
    const odds = oddsBySeason.get(row.seasonId);
    const matches = Number(row.matches);
    const finished = Number(row.finished ?? 0);
    return {
      competition: row.competition,
      competitionName: row.competitionName,
      season: row.season,
      seasonLabel: row.seasonLabel,
      matches,
      finished,
      scheduled: matches - finished,
      teams: teamsBySeason.get(row.seasonId) ?? 0,
      odds: Number(odds?.odds ?? 0),
      bookmakers: Number(odds?.bookmakers ?? 0),
      firstDate: row.firstDate,
      lastDate: row.lastDate,
    };
  });

  const count = async (table: 'competitions' | 'teams' | 'bookmakers' | 'ingested_files') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    seasons,
    totals: {
      competitions: await count('competitions'),
      seasons: seasons.length,
      teams: await count('teams'),
      matches: seasons.reduce((sum, s) => sum + s.matches, 0),
      odds: seasons.reduce((sum, s) => sum + s.odds, 0),
      bookmakers: await count('bookmakers'),
      ingestedFiles: await count('ingested_files'),
    },
  };
}
