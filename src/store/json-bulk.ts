import { sql, type RawBuilder } from 'kysely';
import type { StoreCapabilities } from './store.js';

/** SQL type a bulk column is cast to; names valid in both SQLite and PostgreSQL. */
export type BulkColumnType = 'integer' | 'bigint' | 'double precision' | 'text';

/** One column of a bulk write: its name and SQL type, in the order values appear in each row array. */
export interface BulkColumn {
  readonly name: string;
  readonly type: BulkColumnType;
}

/**
 * `SELECT cast(j.value ->> 0 as …), … FROM <json rows> WHERE true`: turns one JSON parameter holding an
 * array of row arrays into a row set, so thousands of rows cost one parameter and one tiny statement to
 * compile. Column names come from code, never from input; every value travels as a bound parameter.
 * (`WHERE true` resolves SQLite's INSERT … SELECT … ON CONFLICT parsing ambiguity.)
 */
export function selectJsonRows(
  capabilities: StoreCapabilities,
  columns: readonly BulkColumn[],
  rows: readonly (readonly unknown[])[],
): RawBuilder<unknown> {
  const projections = columns.map((column, index) => sql.raw(`cast(j.value ->> ${index} as ${column.type})`));
  return sql`select ${sql.join(projections)} from ${capabilities.jsonArrayElements(JSON.stringify(rows))} where true`;
}

/** Comma-separated column identifiers for an INSERT column list. */
export function columnList(columns: readonly BulkColumn[]): RawBuilder<unknown> {
  return sql.join(columns.map((column) => sql.ref(column.name)));
}

/** Splits `items` into consecutive chunks of at most `size`. */
export function* chunks<T>(items: readonly T[], size: number): Generator<readonly T[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}
