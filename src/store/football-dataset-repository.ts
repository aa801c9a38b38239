import type { Kysely } from 'kysely';
import type { Fixture, OneXTwoPrices, PlayedMatch } from '../football/football-match.js';
import type { Database } from './database-schema.js';

/** Which matches to load: one or more competitions, optionally a season range (codes like `1516`). */
export interface DatasetQuery {
  readonly competitions: readonly string[];
  /** First season start year to include (inclusive). */
  readonly fromStartYear?: number;
  /** Last season start year to include (inclusive). */
  readonly toStartYear?: number;
}

/** Finished matches (with results) and upcoming fixtures, each sorted by kick-off. */
export interface FootballDataset {
  readonly played: PlayedMatch[];
  readonly upcoming: Fixture[];
}

type MutablePrices = { home: number; draw: number; away: number };

/**
 * Loads matches with their 1X2 prices (pre-match and closing, every bookmaker) in kick-off order.
 * One query for matches and one for prices, so a whole league's history loads in well under a second.
 */
export async function loadFootballDataset(db: Kysely<Database>, query: DatasetQuery): Promise<FootballDataset> {
  if (query.competitions.length === 0) return { played: [], upcoming: [] };
  let matchQuery = db
    .selectFrom('matches as m')
    .innerJoin('competitions as c', 'c.id', 'm.competition_id')
    .innerJoin('seasons as s', 's.id', 'm.season_id')
    .innerJoin('teams as h', 'h.id', 'm.home_team_id')
    .innerJoin('teams as a', 'a.id', 'm.away_team_id')
    .select([
      'm.id',
      'c.code as competition',
      's.code as season',
      'm.kickoff_date',
      'm.kickoff_time',
      'm.kickoff_at_ms',
      'h.name as homeTeam',
      'a.name as awayTeam',
      'm.status',
      'm.ft_home',
      'm.ft_away',
      'm.ht_home',
      'm.ht_away',
      'm.home_shots',
      'm.away_shots',
      'm.home_shots_on_target',
      'm.away_shots_on_target',
      'm.home_corners',
      'm.away_corners',
      'm.home_red_cards',
      'm.away_red_cards',
    ])
    .where('c.code', 'in', query.competitions);
  if (query.fromStartYear !== undefined) matchQuery = matchQuery.where('s.start_year', '>=', query.fromStartYear);
  if (query.toStartYear !== undefined) matchQuery = matchQuery.where('s.start_year', '<=', query.toStartYear);
  const rows = await matchQuery.orderBy('m.kickoff_at_ms').orderBy('m.id').execute();
  if (rows.length === 0) return { played: [], upcoming: [] };

  const pre = new Map<number, Record<string, MutablePrices>>();
  const close = new Map<number, Record<string, MutablePrices>>();
  let oddsQuery = db
    .selectFrom('odds as o')
    .innerJoin('matches as m', 'm.id', 'o.match_id')
    .innerJoin('competitions as c', 'c.id', 'm.competition_id')
    .innerJoin('seasons as s', 's.id', 'm.season_id')
    .innerJoin('bookmakers as b', 'b.id', 'o.bookmaker_id')
    .select(['o.match_id', 'b.slug', 'o.selection', 'o.phase', 'o.price'])
    .where('o.market', '=', '1x2')
    .where('c.code', 'in', query.competitions);
  if (query.fromStartYear !== undefined) oddsQuery = oddsQuery.where('s.start_year', '>=', query.fromStartYear);
  if (query.toStartYear !== undefined) oddsQuery = oddsQuery.where('s.start_year', '<=', query.toStartYear);
  for (const o of await oddsQuery.execute()) {
    const byMatch = o.phase === 'pre' ? pre : close;
    let books = byMatch.get(o.match_id);
    if (!books) byMatch.set(o.match_id, (books = {}));
    const book = (books[o.slug] ??= { home: NaN, draw: NaN, away: NaN });
    book[o.selection as keyof MutablePrices] = o.price;
  }

  const played: PlayedMatch[] = [];
  const upcoming: Fixture[] = [];
  for (const r of rows) {
    const fixture: Fixture = {
      matchId: r.id,
      competition: r.competition,
      season: r.season,
      kickoffDate: r.kickoff_date,
      kickoffAtMs: r.kickoff_at_ms,
      kickoffTimeKnown: r.kickoff_time !== null,
      homeTeam: r.homeTeam,
      awayTeam: r.awayTeam,
      preMatchOdds: completeBooks(pre.get(r.id)),
    };
    if (r.status !== 'finished' || r.ft_home === null || r.ft_away === null) {
      upcoming.push(fixture);
      continue;
    }
    played.push({
      ...fixture,
      homeGoals: r.ft_home,
      awayGoals: r.ft_away,
      halfTimeHomeGoals: r.ht_home,
      halfTimeAwayGoals: r.ht_away,
      stats: {
        homeShots: r.home_shots,
        awayShots: r.away_shots,
        homeShotsOnTarget: r.home_shots_on_target,
        awayShotsOnTarget: r.away_shots_on_target,
        homeCorners: r.home_corners,
        awayCorners: r.away_corners,
        homeRedCards: r.home_red_cards,
        awayRedCards: r.away_red_cards,
      },
      closingOdds: completeBooks(close.get(r.id)),
    });
  }
  return { played, upcoming };
}

/** Keeps only books with all three prices: a partial book cannot be turned into probabilities. */
function completeBooks(books: Record<string, MutablePrices> | undefined): Readonly<Record<string, OneXTwoPrices>> {
  const complete: Record<string, OneXTwoPrices> = {};
  if (!books) return complete;
  for (const [slug, book] of Object.entries(books)) {
    if (book.home > 1 && book.draw > 1 && book.away > 1) complete[slug] = book;
  }
  return complete;
}
