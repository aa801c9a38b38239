import { sql, type Kysely } from 'kysely';
import { findBookmaker } from '../football/bookmakers.js';
import type { Database } from './database-schema.js';
import { chunks, columnList, selectJsonRows, type BulkColumn } from './json-bulk.js';
import type { StoreCapabilities } from './store.js';

const COLUMNS: readonly BulkColumn[] = [
  { name: 'match_id', type: 'integer' },
  { name: 'bookmaker_id', type: 'integer' },
  { name: 'market', type: 'text' },
  { name: 'line', type: 'double precision' },
  { name: 'selection', type: 'text' },
  { name: 'phase', type: 'text' },
  { name: 'price', type: 'double precision' },
];

/** One price, as stored: `[matchId, bookmakerId, market, line, selection, phase, price]`. */
export type OddsWrite = readonly [number, number, string, number, string, string, number];

const ROWS_PER_STATEMENT = 20_000;

/** Returns ids for bookmaker slugs, creating catalogue entries on first use. */
export async function ensureBookmakers(db: Kysely<Database>, slugs: Iterable<string>): Promise<Map<string, number>> {
  const wanted = [...new Set(slugs)];
  const ids = new Map<string, number>();
  if (wanted.length === 0) return ids;
  const rows = wanted.map((slug) => {
    const info = findBookmaker(slug);
    if (!info) throw new RangeError(`unknown bookmaker slug ${slug}`);
    return { slug, name: info.name, kind: info.kind };
  });
  await db
    .insertInto('bookmakers')
    .values(rows)
    .onConflict((oc) => oc.column('slug').doNothing())
    .execute();
  const stored = await db.selectFrom('bookmakers').select(['id', 'slug']).where('slug', 'in', wanted).execute();
  for (const row of stored) ids.set(row.slug, row.id);
  return ids;
}

/**
 * Inserts prices and updates those whose value changed (a newer download); identical prices are
 * not touched. `odds` must not repeat a key. Returns the number of rows inserted or changed.
 */
export async function upsertOdds(
  db: Kysely<Database>,
  capabilities: StoreCapabilities,
  odds: readonly OddsWrite[],
): Promise<number> {
  let affected = 0;
  for (const chunk of chunks(odds, ROWS_PER_STATEMENT)) {
    const result = await sql`insert into odds (${columnList(COLUMNS)}) ${selectJsonRows(capabilities, COLUMNS, chunk)}
      on conflict (match_id, bookmaker_id, market, line, selection, phase)
      do update set price = excluded.price where odds.price <> excluded.price`.execute(db);
    affected += Number(result.numAffectedRows ?? 0n);
  }
  return affected;
}
