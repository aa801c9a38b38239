import type { Kysely } from 'kysely';
import type { Database } from '../../store/database-schema.js';

/** A player as the store knows them. */
export interface NbaPlayer {
  readonly id: number;
  readonly name: string;
  readonly positionGroup: string | null;
  readonly position: string | null;
}

/**
 * Players whose name contains `query` (case-insensitive), exact matches first, for turning a name a
 * person typed into the player id a shot needs.
 */
export async function findNbaPlayers(db: Kysely<Database>, query: string, limit = 10): Promise<NbaPlayer[]> {
  const needle = query.trim().toLowerCase();
  if (needle === '') return [];
  // LIKE wildcards in a name are taken literally by dropping them (no backend-neutral ESCAPE).
  const pattern = `%${needle.replace(/[\\%_]/g, '')}%`;
  const rows = await db
    .selectFrom('nba_players')
    .select(['id', 'name', 'position_group', 'position'])
    .where((eb) => eb(eb.fn('lower', ['name']), 'like', pattern))
    .orderBy('name')
    .limit(200)
    .execute();
  return rows
    .sort((a, b) => Number(b.name.toLowerCase() === needle) - Number(a.name.toLowerCase() === needle))
    .slice(0, limit)
    .map((r) => ({ id: r.id, name: r.name, positionGroup: r.position_group, position: r.position }));
}
