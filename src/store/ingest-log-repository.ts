import type { Kysely, Selectable } from 'kysely';
import type { Database, IngestedFileTable } from './database-schema.js';

export type IngestedFile = Selectable<IngestedFileTable>;
export type IngestedFileWrite = Omit<IngestedFile, 'id'>;

/** The log entry for these exact bytes read by this parser version, if they were loaded before. */
export async function findIngestedFile(
  db: Kysely<Database>,
  provider: string,
  sha256: string,
  parserVersion: number,
): Promise<IngestedFile | undefined> {
  return db
    .selectFrom('ingested_files')
    .selectAll()
    .where('provider', '=', provider)
    .where('sha256', '=', sha256)
    .where('parser_version', '=', parserVersion)
    .executeTakeFirst();
}

/** Records that a file's content was loaded (or loaded again, e.g. with --force). */
export async function recordIngestedFile(db: Kysely<Database>, entry: IngestedFileWrite): Promise<void> {
  await db
    .insertInto('ingested_files')
    .values(entry)
    .onConflict((oc) =>
      oc.columns(['provider', 'sha256', 'parser_version']).doUpdateSet({
        source: entry.source,
        data_rows: entry.data_rows,
        records: entry.records,
        skipped_rows: entry.skipped_rows,
        warnings: entry.warnings,
        ingested_at_ms: entry.ingested_at_ms,
      }),
    )
    .execute();
}
