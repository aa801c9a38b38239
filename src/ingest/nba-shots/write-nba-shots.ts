import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../store/database-schema.js';
import { chunks, columnList, selectJsonRows, type BulkColumn } from '../../store/json-bulk.js';
import type { StoreCapabilities } from '../../store/store.js';
import type { NbaShotRow } from './parse-nba-shots.js';

/** Rows inserted, changed, and already identical. */
export interface NbaWriteCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

/** What writing one file changed, per table. */
export interface NbaWriteSummary {
  readonly teams: NbaWriteCounts;
  readonly players: NbaWriteCounts;
  readonly games: NbaWriteCounts;
  readonly shots: NbaWriteCounts;
}

/** Shots per statement: one JSON parameter each, small enough for any driver. */
const SHOTS_PER_STATEMENT = 4_000;

const TEAM_COLUMNS: readonly BulkColumn[] = [
  { name: 'id', type: 'integer' },
  { name: 'name', type: 'text' },
  { name: 'abbreviation', type: 'text' },
  { name: 'updated_at_ms', type: 'bigint' },
];
const PLAYER_COLUMNS: readonly BulkColumn[] = [
  { name: 'id', type: 'integer' },
  { name: 'name', type: 'text' },
  { name: 'position_group', type: 'text' },
  { name: 'position', type: 'text' },
  { name: 'updated_at_ms', type: 'bigint' },
];
const GAME_COLUMNS: readonly BulkColumn[] = [
  { name: 'id', type: 'integer' },
  { name: 'season', type: 'text' },
  { name: 'game_date', type: 'text' },
  { name: 'game_day_ms', type: 'bigint' },
  { name: 'home_team', type: 'text' },
  { name: 'away_team', type: 'text' },
  { name: 'home_team_id', type: 'integer' },
  { name: 'away_team_id', type: 'integer' },
  { name: 'updated_at_ms', type: 'bigint' },
];
const SHOT_COLUMNS: readonly BulkColumn[] = [
  { name: 'shot_key', type: 'text' },
  { name: 'game_id', type: 'integer' },
  { name: 'player_id', type: 'integer' },
  { name: 'team_id', type: 'integer' },
  { name: 'is_home', type: 'integer' },
  { name: 'period', type: 'integer' },
  { name: 'seconds_left', type: 'integer' },
  { name: 'loc_x', type: 'double precision' },
  { name: 'loc_y', type: 'double precision' },
  { name: 'distance_ft', type: 'integer' },
  { name: 'basic_zone', type: 'text' },
  { name: 'zone_area', type: 'text' },
  { name: 'zone_range', type: 'text' },
  { name: 'action_type', type: 'text' },
  { name: 'shot_type', type: 'text' },
  { name: 'made', type: 'integer' },
];

/**
 * `on conflict (id) do update set <columns> where <any differs>`: a reload touches nothing, a
 * correction updates in place. `keep` columns keep a stored value when the new one is null.
 */
function upsertClause(table: string, key: string, columns: readonly BulkColumn[], keep: readonly string[] = []): RawBuilder<unknown> {
  const compared = columns.filter((c) => c.name !== key && c.name !== 'updated_at_ms');
  const value = (name: string) => (keep.includes(name) ? `coalesce(excluded.${name}, ${table}.${name})` : `excluded.${name}`);
  const set = columns.filter((c) => c.name !== key).map((c) => `${c.name} = ${value(c.name)}`);
  const changed = compared.map((c) => `${value(c.name)} is distinct from ${table}.${c.name}`);
  return sql.raw(`on conflict (${key}) do update set ${set.join(', ')} where ${changed.join(' or ')}`);
}

async function count(db: Kysely<Database>, table: 'nba_teams' | 'nba_players' | 'nba_games' | 'nba_shots'): Promise<number> {
  const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

async function upsert(
  db: Kysely<Database>,
  capabilities: StoreCapabilities,
  table: 'nba_teams' | 'nba_players' | 'nba_games' | 'nba_shots',
  key: string,
  columns: readonly BulkColumn[],
  rows: readonly (readonly unknown[])[],
  onChunk?: (written: number) => void,
  keep: readonly string[] = [],
): Promise<NbaWriteCounts> {
  if (rows.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
  const before = await count(db, table);
  let affected = 0;
  let written = 0;
  for (const part of chunks(rows, SHOTS_PER_STATEMENT)) {
    const result = await sql`insert into ${sql.table(table)} (${columnList(columns)}) ${selectJsonRows(capabilities, columns, part)} ${upsertClause(table, key, columns, keep)}`.execute(db);
    affected += Number(result.numAffectedRows ?? 0n);
    written += part.length;
    onChunk?.(written);
  }
  const inserted = (await count(db, table)) - before;
  return { inserted, updated: affected - inserted, unchanged: rows.length - affected };
}

/**
 * Writes parsed shots with their teams, players and games. Idempotent: rows already stored with the
 * same values are not touched, corrected values are updated in place, and shots are matched across
 * files by their key. Call it inside a transaction so a file is written all or nothing.
 */
export async function writeNbaShots(
  db: Kysely<Database>,
  capabilities: StoreCapabilities,
  rows: readonly NbaShotRow[],
  teamCodes: ReadonlyMap<number, string>,
  nowMs: number,
  onShotsWritten?: (written: number) => void,
): Promise<NbaWriteSummary> {
  const teams = new Map<number, readonly unknown[]>();
  const players = new Map<number, readonly unknown[]>();
  const games = new Map<number, { home: number | null; away: number | null; row: NbaShotRow }>();
  for (const r of rows) {
    teams.set(r.teamId, [r.teamId, r.teamName, teamCodes.get(r.teamId) ?? null, nowMs]);
    players.set(r.playerId, [r.playerId, r.playerName, r.positionGroup, r.position, nowMs]);
    const game = games.get(r.gameId) ?? { home: null, away: null, row: r };
    const code = teamCodes.get(r.teamId);
    if (code === r.homeTeam) game.home = r.teamId;
    if (code === r.awayTeam) game.away = r.teamId;
    games.set(r.gameId, game);
  }
  const teamCounts = await upsert(db, capabilities, 'nba_teams', 'id', TEAM_COLUMNS, [...teams.values()], undefined, ['abbreviation']);
  const playerCounts = await upsert(db, capabilities, 'nba_players', 'id', PLAYER_COLUMNS, [...players.values()]);
  const gameRows = [...games.entries()].map(([id, g]) => [
    id,
    g.row.season,
    g.row.gameDate,
    g.row.gameDayMs,
    g.row.homeTeam,
    g.row.awayTeam,
    g.home,
    g.away,
    nowMs,
  ]);
  const gameCounts = await upsert(db, capabilities, 'nba_games', 'id', GAME_COLUMNS, gameRows, undefined, ['home_team_id', 'away_team_id']);
  const shotRows = rows.map((r) => [
    r.shotKey,
    r.gameId,
    r.playerId,
    r.teamId,
    teamCodes.get(r.teamId) === r.homeTeam ? 1 : 0,
    r.period,
    r.secondsLeft,
    r.locX,
    r.locY,
    r.distanceFt,
    r.basicZone,
    r.zoneArea,
    r.zoneRange,
    r.actionType,
    r.shotType,
    r.made ? 1 : 0,
  ]);
  const shotCounts = await upsert(db, capabilities, 'nba_shots', 'shot_key', SHOT_COLUMNS, shotRows, onShotsWritten);
  return { teams: teamCounts, players: playerCounts, games: gameCounts, shots: shotCounts };
}
