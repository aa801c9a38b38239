import type { Kysely } from 'kysely';
import { canonicalTeamName, teamSpellings } from '../football/team-aliases.js';
import type { Database } from './database-schema.js';

/**
 * Maps team names (as a source spells them) to canonical team ids within one competition.
 * A name seen for the first time becomes a canonical team, with its known alternative spellings as aliases.
 */
export async function resolveTeamIds(
  db: Kysely<Database>,
  competitionId: number,
  names: Iterable<string>,
): Promise<Map<string, number>> {
  const wanted = [...new Set(names)];
  const ids = new Map<string, number>();
  if (wanted.length === 0) return ids;
  const lookup = async (aliases: string[]) => {
    const rows = await db
      .selectFrom('team_aliases')
      .select(['alias', 'team_id'])
      .where('competition_id', '=', competitionId)
      .where('alias', 'in', aliases)
      .execute();
    for (const row of rows) ids.set(row.alias, row.team_id);
  };
  await lookup(wanted);
  const missing = wanted.filter((name) => !ids.has(name));
  if (missing.length === 0) return ids;

  // A known alternative spelling creates (or joins) the team under its canonical name.
  const canonical = [...new Set(missing.map(canonicalTeamName))];
  await db
    .insertInto('teams')
    .values(canonical.map((name) => ({ competition_id: competitionId, name })))
    .onConflict((oc) => oc.columns(['competition_id', 'name']).doNothing())
    .execute();
  const created = await db
    .selectFrom('teams')
    .select(['id', 'name'])
    .where('competition_id', '=', competitionId)
    .where('name', 'in', canonical)
    .execute();
  const aliasRows = created.flatMap((team) =>
    teamSpellings(team.name).map((alias) => ({
      competition_id: competitionId,
      alias,
      team_id: team.id,
    })),
  );
  await db
    .insertInto('team_aliases')
    .values(aliasRows)
    .onConflict((oc) => oc.columns(['competition_id', 'alias']).doNothing())
    .execute();
  await lookup(missing);
  return ids;
}
