import type { Kysely } from 'kysely';
import type { Database } from '../../store/database-schema.js';

/** A player as the store knows them. */
export interface NbaPlayer {
  readonly id: number;
  readonly name: string;
  readonly positionGroup: string | null;
  readonly position: string | null;
  /** The team of the player's latest ingested shot (null when he has none). */
  readonly teamId: number | null;
}

/** A team as the store knows it. */
export interface NbaTeam {
  readonly id: number;
  readonly name: string;
  readonly abbreviation: string | null;
}

/** Every team, by name. */
export async function listNbaTeams(db: Kysely<Database>): Promise<NbaTeam[]> {
  const rows = await db.selectFrom('nba_teams').select(['id', 'name', 'abbreviation']).orderBy('name').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, abbreviation: r.abbreviation }));
}

/**
 * Players whose name contains `query` (case-insensitive), exact matches first, for turning a name a
 * person typed into the player id a shot needs.
 */
export async function findNbaPlayers(db: Kysely<Database>, query: string, limit = 10): Promise<NbaPlayer[]> {
  // LIKE wildcards are dropped from what was typed (no backend-neutral ESCAPE; names have none).
  const needle = query.trim().toLowerCase().replace(/[\\%_]/g, '');
  if (needle === '') return [];
  const pattern = `%${needle}%`;
  const rows = await db
    .selectFrom('nba_players')
    .select(['id', 'name', 'position_group', 'position'])
    .where((eb) => eb(eb.fn('lower', ['name']), 'like', pattern))
    .orderBy('name')
    .limit(200)
    .execute();
  const found = rows.sort((a, b) => Number(b.name.toLowerCase() === needle) - Number(a.name.toLowerCase() === needle)).slice(0, limit);
  if (found.length === 0) return [];
  // The last day each found player shot for each of his teams; the latest one is his team now.
  const stints = await db
    .selectFrom('nba_shots as s')
    .innerJoin('nba_games as g', 'g.id', 's.game_id')
    .select((eb) => ['s.player_id', 's.team_id', eb.fn.max('g.game_day_ms').as('last_day_ms')])
    .where(
      's.player_id',
      'in',
      found.map((r) => r.id),
    )
    .groupBy(['s.player_id', 's.team_id'])
    .execute();
  const latest = new Map<number, { team: number; dayMs: number }>();
  for (const stint of stints) {
    const dayMs = Number(stint.last_day_ms);
    const seen = latest.get(stint.player_id);
    if (seen === undefined || dayMs > seen.dayMs) latest.set(stint.player_id, { team: stint.team_id, dayMs });
  }
  return found.map((r) => ({ id: r.id, name: r.name, positionGroup: r.position_group, position: r.position, teamId: latest.get(r.id)?.team ?? null }));
}
