import { sql, type Kysely } from 'kysely';
import { MATCH_STATS, type MatchStat } from '../football/match-record.js';
import type { Database, MatchStatus } from './database-schema.js';
import { columnList, selectJsonRows, type BulkColumn } from './json-bulk.js';
import type { StoreCapabilities } from './store.js';

/** Column name (without the `home_`/`away_` prefix) of a per-team statistic: `shotsOnTarget` → `shots_on_target`. */
export function statColumn(stat: MatchStat): string {
  return stat.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** Columns a fresh download may fill in; a missing (null) value never erases a stored one. */
const FILLABLE: readonly BulkColumn[] = [
  { name: 'ft_home', type: 'integer' },
  { name: 'ft_away', type: 'integer' },
  { name: 'ht_home', type: 'integer' },
  { name: 'ht_away', type: 'integer' },
  { name: 'referee', type: 'text' },
  { name: 'attendance', type: 'integer' },
  ...MATCH_STATS.flatMap((stat): BulkColumn[] => [
    { name: `home_${statColumn(stat)}`, type: 'integer' },
    { name: `away_${statColumn(stat)}`, type: 'integer' },
  ]),
];

const COLUMNS: readonly BulkColumn[] = [
  { name: 'competition_id', type: 'integer' },
  { name: 'season_id', type: 'integer' },
  { name: 'home_team_id', type: 'integer' },
  { name: 'away_team_id', type: 'integer' },
  { name: 'kickoff_date', type: 'text' },
  { name: 'kickoff_time', type: 'text' },
  { name: 'kickoff_at_ms', type: 'bigint' },
  { name: 'status', type: 'text' },
  ...FILLABLE,
  { name: 'updated_at_ms', type: 'bigint' },
];

/** A match row to write, by column name (per-team stats as `home_<stat>` / `away_<stat>`). */
export type MatchWrite = {
  competition_id: number;
  season_id: number;
  home_team_id: number;
  away_team_id: number;
  kickoff_date: string;
  kickoff_time: string | null;
  kickoff_at_ms: number;
  status: MatchStatus;
  updated_at_ms: number;
} & Record<string, number | string | null>;

// A row without a kick-off time keeps a stored time for the same date (a results-only source must not
// discard a known kick-off); a new date always wins (a postponed fixture moves).
const keepTime = sql.raw('excluded.kickoff_time is null and matches.kickoff_date = excluded.kickoff_date');
const ON_CONFLICT_SET = sql.join(
  [
    sql.raw('kickoff_date = excluded.kickoff_date'),
    sql`kickoff_time = case when ${keepTime} then matches.kickoff_time else excluded.kickoff_time end`,
    sql`kickoff_at_ms = case when ${keepTime} then matches.kickoff_at_ms else excluded.kickoff_at_ms end`,
    sql.raw(
      "status = case when coalesce(excluded.ft_home, matches.ft_home) is null then 'scheduled' else 'finished' end",
    ),
    ...FILLABLE.map((c) => sql.raw(`${c.name} = coalesce(excluded.${c.name}, matches.${c.name})`)),
    sql.raw('updated_at_ms = excluded.updated_at_ms'),
  ],
  sql.raw(', '),
);
// Update only when something really changes, so reloading a file touches nothing.
const CHANGED = sql.join(
  [
    sql.raw('excluded.kickoff_date <> matches.kickoff_date'),
    sql.raw('(excluded.kickoff_time is not null and excluded.kickoff_time is distinct from matches.kickoff_time)'),
    ...FILLABLE.map((c) => sql.raw(`(excluded.${c.name} is not null and excluded.${c.name} is distinct from matches.${c.name})`)),
  ],
  sql.raw(' or '),
);

/**
 * Inserts new matches and completes or corrects existing ones (same season, home and away team).
 * Returns the number of rows inserted or changed; unchanged rows are not touched.
 */
export async function upsertMatches(
  db: Kysely<Database>,
  capabilities: StoreCapabilities,
  matches: readonly MatchWrite[],
): Promise<number> {
  if (matches.length === 0) return 0;
  const rows = matches.map((m) => COLUMNS.map((c) => (m as Record<string, unknown>)[c.name] ?? null));
  const result = await sql`insert into matches (${columnList(COLUMNS)}) ${selectJsonRows(capabilities, COLUMNS, rows)}
    on conflict (season_id, home_team_id, away_team_id) do update set ${ON_CONFLICT_SET} where ${CHANGED}`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}
