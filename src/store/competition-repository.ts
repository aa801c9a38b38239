import type { Kysely } from 'kysely';
import { describeCompetition } from '../football/competitions.js';
import { parseSeasonCode } from '../football/season-code.js';
import type { Database } from './database-schema.js';

/** Returns the id of the competition with this division code, creating it from the catalogue if new. */
export async function ensureCompetition(db: Kysely<Database>, code: string, nowMs: number): Promise<number> {
  const existing = await db.selectFrom('competitions').select('id').where('code', '=', code).executeTakeFirst();
  if (existing) return existing.id;
  const { name, country } = describeCompetition(code);
  const inserted = await db
    .insertInto('competitions')
    .values({ code, name, country, sport: 'football', created_at_ms: nowMs })
    .onConflict((oc) => oc.column('code').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return inserted.id;
  // Lost a race with another writer: the row exists now.
  const row = await db.selectFrom('competitions').select('id').where('code', '=', code).executeTakeFirstOrThrow();
  return row.id;
}

/** Returns the id of a competition's season (code `2223`), creating it if new. */
export async function ensureSeason(db: Kysely<Database>, competitionId: number, code: string): Promise<number> {
  const find = () =>
    db
      .selectFrom('seasons')
      .select('id')
      .where('competition_id', '=', competitionId)
      .where('code', '=', code)
      .executeTakeFirst();
  const existing = await find();
  if (existing) return existing.id;
  const season = parseSeasonCode(code);
  if (!season) throw new RangeError(`invalid season code ${code}`);
  await db
    .insertInto('seasons')
    .values({ competition_id: competitionId, code, label: season.label, start_year: season.startYear })
    .onConflict((oc) => oc.columns(['competition_id', 'code']).doNothing())
    .execute();
  return (await find())!.id;
}
