import { TipsterError } from '../../core/errors.js';
import type { Store } from '../../store/store.js';
import { findBookmaker } from '../bookmakers.js';
import type { OneXTwoPrices } from '../football-match.js';

/** A season of a competition and how many of its matches the store holds. */
export interface SeasonSummary {
  readonly code: string;
  readonly label: string;
  readonly startYear: number;
  readonly matches: number;
  readonly firstKickoffAtMs: number;
  readonly lastKickoffAtMs: number;
}

/** A competition with its seasons (newest first). */
export interface CompetitionSummary {
  readonly code: string;
  readonly name: string;
  readonly country: string | null;
  readonly seasons: readonly SeasonSummary[];
}

/** Every competition in the store with its seasons. */
export async function listCompetitions(store: Store): Promise<CompetitionSummary[]> {
  const competitions = await store.db.selectFrom('competitions').select(['id', 'code', 'name', 'country']).where('sport', '=', 'football').orderBy('code').execute();
  const seasons = await store.db
    .selectFrom('seasons as s')
    .innerJoin('matches as m', 'm.season_id', 's.id')
    .select((eb) => [
      's.competition_id',
      's.code',
      's.label',
      's.start_year',
      eb.fn.countAll<number>().as('matches'),
      eb.fn.min('m.kickoff_at_ms').as('first_ms'),
      eb.fn.max('m.kickoff_at_ms').as('last_ms'),
    ])
    .groupBy(['s.competition_id', 's.code', 's.label', 's.start_year'])
    .orderBy('s.start_year', 'desc')
    .execute();
  return competitions.map((c) => ({
    code: c.code,
    name: c.name,
    country: c.country,
    seasons: seasons
      .filter((s) => s.competition_id === c.id)
      .map((s) => ({
        code: s.code,
        label: s.label,
        startYear: s.start_year,
        matches: Number(s.matches),
        firstKickoffAtMs: Number(s.first_ms),
        lastKickoffAtMs: Number(s.last_ms),
      })),
  }));
}

/** The competition with this code (404 problem when unknown). */
export async function requireCompetition(store: Store, code: string): Promise<CompetitionSummary> {
  const found = (await listCompetitions(store)).find((c) => c.code === code);
  if (!found) throw new TipsterError('TIPSTER_ERR_FOOTBALL_COMPETITION_NOT_FOUND', { competition: code });
  return found;
}

/** The season in play at `asOfMs`: the newest that started by then, else the oldest one. */
export function seasonAt(competition: CompetitionSummary, asOfMs: number): SeasonSummary | undefined {
  return competition.seasons.find((s) => s.firstKickoffAtMs <= asOfMs) ?? competition.seasons.at(-1);
}

/** Teams playing in one season of a competition, by name. */
export async function listSeasonTeams(store: Store, competition: string, season: string): Promise<string[]> {
  const rows = await store.db
    .selectFrom('matches as m')
    .innerJoin('competitions as c', 'c.id', 'm.competition_id')
    .innerJoin('seasons as s', 's.id', 'm.season_id')
    .innerJoin('teams as t', (join) => join.on((eb) => eb.or([eb('t.id', '=', eb.ref('m.home_team_id')), eb('t.id', '=', eb.ref('m.away_team_id'))])))
    .select('t.name')
    .distinct()
    .where('c.code', '=', competition)
    .where('s.code', '=', season)
    .orderBy('t.name')
    .execute();
  return rows.map((r) => r.name);
}

/** True when the competition has (ever had) a team of this exact name. */
export async function teamExists(store: Store, competition: string, team: string): Promise<boolean> {
  const row = await store.db
    .selectFrom('teams as t')
    .innerJoin('competitions as c', 'c.id', 't.competition_id')
    .select('t.id')
    .where('c.code', '=', competition)
    .where('t.name', '=', team)
    .executeTakeFirst();
  return row !== undefined;
}

/** A match as the API shows it as of an instant: its result only when the as-of is past kick-off. */
export interface MatchView {
  readonly matchId: number;
  readonly competition: string;
  readonly season: string;
  readonly kickoffAtMs: number;
  readonly kickoffTimeKnown: boolean;
  readonly homeTeam: string;
  readonly awayTeam: string;
  /** 'upcoming' (kick-off at or after the as-of), 'finished', or 'awaiting-result'. */
  readonly state: 'upcoming' | 'finished' | 'awaiting-result';
  readonly homeGoals: number | null;
  readonly awayGoals: number | null;
}

export interface MatchQuery {
  readonly competition?: string;
  readonly season?: string;
  readonly matchIds?: readonly number[];
  readonly fromMs?: number;
  readonly toMs?: number;
}

/**
 * Matches seen from `asOfMs`: anything kicking off at or after it is upcoming and its result is
 * hidden, even when the store already holds it (historical data served "as of" a past date).
 */
export async function listMatches(store: Store, query: MatchQuery, asOfMs: number): Promise<MatchView[]> {
  if (query.matchIds !== undefined && query.matchIds.length === 0) return [];
  let q = store.db
    .selectFrom('matches as m')
    .innerJoin('competitions as c', 'c.id', 'm.competition_id')
    .innerJoin('seasons as s', 's.id', 'm.season_id')
    .innerJoin('teams as h', 'h.id', 'm.home_team_id')
    .innerJoin('teams as a', 'a.id', 'm.away_team_id')
    .select(['m.id', 'c.code as competition', 's.code as season', 'm.kickoff_at_ms', 'm.kickoff_time', 'h.name as home', 'a.name as away', 'm.status', 'm.ft_home', 'm.ft_away']);
  if (query.competition !== undefined) q = q.where('c.code', '=', query.competition);
  if (query.season !== undefined) q = q.where('s.code', '=', query.season);
  if (query.matchIds !== undefined) q = q.where('m.id', 'in', [...query.matchIds]);
  if (query.fromMs !== undefined) q = q.where('m.kickoff_at_ms', '>=', query.fromMs);
  if (query.toMs !== undefined) q = q.where('m.kickoff_at_ms', '<', query.toMs);
  const rows = await q.orderBy('m.kickoff_at_ms').orderBy('m.id').execute();
  return rows.map((r) => {
    const known = r.kickoff_at_ms < asOfMs && r.status === 'finished' && r.ft_home !== null && r.ft_away !== null;
    return {
      matchId: r.id,
      competition: r.competition,
      season: r.season,
      kickoffAtMs: r.kickoff_at_ms,
      kickoffTimeKnown: r.kickoff_time !== null,
      homeTeam: r.home,
      awayTeam: r.away,
      state: r.kickoff_at_ms >= asOfMs ? 'upcoming' : known ? 'finished' : 'awaiting-result',
      homeGoals: known ? r.ft_home : null,
      awayGoals: known ? r.ft_away : null,
    };
  });
}

/** Pre-match 1X2 prices of real bookmakers (aggregates such as market-max are not a place to bet), by match. */
export async function listPreMatchPrices(store: Store, matchIds: readonly number[]): Promise<Map<number, Record<string, OneXTwoPrices>>> {
  const byMatch = new Map<number, Record<string, { home: number; draw: number; away: number }>>();
  if (matchIds.length === 0) return byMatch;
  for (let i = 0; i < matchIds.length; i += 500) {
    const rows = await store.db
      .selectFrom('odds as o')
      .innerJoin('bookmakers as b', 'b.id', 'o.bookmaker_id')
      .select(['o.match_id', 'b.slug', 'o.selection', 'o.price'])
      .where('o.market', '=', '1x2')
      .where('o.phase', '=', 'pre')
      .where('o.match_id', 'in', matchIds.slice(i, i + 500))
      .execute();
    for (const r of rows) {
      const kind = findBookmaker(r.slug)?.kind;
      if (kind === undefined || kind === 'aggregate') continue;
      let books = byMatch.get(r.match_id);
      if (!books) byMatch.set(r.match_id, (books = {}));
      const book = (books[r.slug] ??= { home: Number.NaN, draw: Number.NaN, away: Number.NaN });
      if (r.selection === 'home' || r.selection === 'draw' || r.selection === 'away') book[r.selection] = r.price;
    }
  }
  for (const books of byMatch.values()) {
    for (const [slug, book] of Object.entries(books)) if (!(book.home > 1 && book.draw > 1 && book.away > 1)) delete books[slug];
  }
  return byMatch;
}

/** A row of the league table. */
export interface StandingRow {
  readonly position: number;
  readonly team: string;
  readonly played: number;
  readonly won: number;
  readonly drawn: number;
  readonly lost: number;
  readonly goalsFor: number;
  readonly goalsAgainst: number;
  readonly goalDifference: number;
  readonly points: number;
}

/**
 * The league table of a season from the results known as of `asOfMs`: 3 points a win, 1 a draw;
 * ties broken by goal difference, goals scored, then name (head-to-head rules differ per league).
 */
export function computeStandings(teams: readonly string[], matches: readonly MatchView[]): StandingRow[] {
  const table = new Map<string, { team: string; played: number; won: number; drawn: number; lost: number; goalsFor: number; goalsAgainst: number }>();
  const row = (team: string) => {
    let r = table.get(team);
    if (!r) table.set(team, (r = { team, played: 0, won: 0, drawn: 0, lost: 0, goalsFor: 0, goalsAgainst: 0 }));
    return r;
  };
  for (const team of teams) row(team);
  for (const m of matches) {
    if (m.state !== 'finished' || m.homeGoals === null || m.awayGoals === null) continue;
    const h = row(m.homeTeam);
    const a = row(m.awayTeam);
    h.played++;
    a.played++;
    h.goalsFor += m.homeGoals;
    h.goalsAgainst += m.awayGoals;
    a.goalsFor += m.awayGoals;
    a.goalsAgainst += m.homeGoals;
    if (m.homeGoals > m.awayGoals) {
      h.won++;
      a.lost++;
    } else if (m.homeGoals < m.awayGoals) {
      a.won++;
      h.lost++;
    } else {
      h.drawn++;
      a.drawn++;
    }
  }
  const rows = [...table.values()].map((r) => ({ ...r, goalDifference: r.goalsFor - r.goalsAgainst, points: 3 * r.won + r.drawn }));
  rows.sort((x, y) => y.points - x.points || y.goalDifference - x.goalDifference || y.goalsFor - x.goalsFor || x.team.localeCompare(y.team));
  return rows.map((r, i) => ({ position: i + 1, ...r }));
}
