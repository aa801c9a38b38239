import { basicZoneAt, shotTypeOfZone, wholeFeetFromHoop, zoneAreaAt, zoneRangeOf } from '../../basketball/shot-geometry.js';
import {
  BASIC_ZONES,
  isBasicZone,
  isShotType,
  isZoneArea,
  isZoneRange,
  SHOT_TYPES,
  ZONE_AREAS,
  ZONE_RANGES,
  type BasicZone,
  type ShotType,
  type ZoneArea,
  type ZoneRange,
} from '../../basketball/shot-vocabulary.js';
import { decodeCsvBytes } from '../football-data/decode-csv-bytes.js';
import { splitCsvRows } from '../football-data/split-csv-rows.js';
import type { IngestIssue } from '../ingest-issue.js';

/** Columns a shot-chart file must have. */
export const REQUIRED_COLUMNS = [
  'GAME_ID',
  'GAME_DATE',
  'TEAM_ID',
  'TEAM_NAME',
  'PLAYER_ID',
  'PLAYER_NAME',
  'HOME_TEAM',
  'AWAY_TEAM',
  'SHOT_MADE',
  'ACTION_TYPE',
  'LOC_X',
  'LOC_Y',
  'QUARTER',
  'MINS_LEFT',
  'SECS_LEFT',
] as const;

/** Columns read when present: zones, type and distance are derived from the location when absent. */
const OPTIONAL_COLUMNS = [
  'SEASON_2',
  'POSITION_GROUP',
  'POSITION',
  'EVENT_TYPE',
  'SHOT_TYPE',
  'BASIC_ZONE',
  'ZONE_NAME',
  'ZONE_RANGE',
  'SHOT_DISTANCE',
] as const;

/** Columns known to carry nothing more (redundant codes). */
const REDUNDANT_COLUMNS = ['SEASON_1', 'ZONE_ABB'] as const;

type Column = (typeof REQUIRED_COLUMNS)[number] | (typeof OPTIONAL_COLUMNS)[number];

/** One valid shot row with the game, team and player it names. */
export interface NbaShotRow {
  /** 1-based physical line. */
  readonly line: number;
  readonly gameId: number;
  readonly season: string;
  /** ISO date. */
  readonly gameDate: string;
  readonly gameDayMs: number;
  readonly homeTeam: string;
  readonly awayTeam: string;
  readonly teamId: number;
  readonly teamName: string;
  readonly playerId: number;
  readonly playerName: string;
  readonly positionGroup: string | null;
  readonly position: string | null;
  readonly period: number;
  readonly secondsLeft: number;
  readonly locX: number;
  readonly locY: number;
  readonly distanceFt: number;
  readonly basicZone: BasicZone;
  readonly zoneArea: ZoneArea;
  readonly zoneRange: ZoneRange;
  readonly actionType: string;
  readonly shotType: ShotType;
  readonly made: boolean;
  /** Identity across files: game, player, period, clock, action, location, occurrence. */
  readonly shotKey: string;
}

/** What parsing one file produced. */
export interface ParsedNbaShots {
  readonly rows: NbaShotRow[];
  readonly issues: IngestIssue[];
  /** Non-blank data lines read. */
  readonly dataRows: number;
  readonly ignoredColumns: string[];
  /** True when the file as a whole is unusable (no header, missing columns); no rows then. */
  readonly fatal: boolean;
}

/**
 * Parses NBA.com shot-chart CSV bytes (the DomSamangy/NBA_Shots_04_24 layout; see
 * data/nba-shots/SOURCE.md). A bad row is reported with its line, column, value and reason and
 * left out; the rest are returned. Rows of one game must agree on its date and teams.
 */
export function parseNbaShots(bytes: Uint8Array, file: string): ParsedNbaShots {
  const issues: IngestIssue[] = [];
  const rows: NbaShotRow[] = [];
  const fatal = (line: number, reason: string): ParsedNbaShots => {
    issues.push({ severity: 'error', file, line, column: null, value: null, reason });
    return { rows: [], issues, dataRows: 0, ignoredColumns: [], fatal: true };
  };
  const { text } = decodeCsvBytes(bytes);
  const split = splitCsvRows(text);
  if (split.ok === false) return fatal(split.line, split.reason);
  const [header, ...data] = split.rows;
  if (header === undefined || header.fields.every((f) => f.trim() === '')) {
    return fatal(1, `the file has no header line; expected one naming ${REQUIRED_COLUMNS.join(', ')}`);
  }
  const names = header.fields.map((f) => f.trim().replace(/^\uFEFF/, ''));
  const index = new Map<string, number>();
  names.forEach((name, i) => {
    if (!index.has(name)) index.set(name, i);
  });
  const missing = REQUIRED_COLUMNS.filter((c) => !index.has(c));
  if (missing.length > 0) return fatal(1, `the header lacks ${missing.join(', ')}`);
  const known: ReadonlySet<string> = new Set<string>([...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS, ...REDUNDANT_COLUMNS]);
  const ignoredColumns = names.filter((n) => n !== '' && !known.has(n));

  const games = new Map<number, { date: string; home: string; away: string; line: number }>();
  const occurrences = new Map<string, number>();
  let dataRows = 0;
  for (const { fields, line } of data) {
    if (fields.every((f) => f.trim() === '')) continue;
    dataRows++;
    let bad = false;
    const error = (column: Column | null, value: string | null, reason: string) => {
      issues.push({ severity: 'error', file, line, column, value, reason });
      bad = true;
    };
    if (fields.length !== names.length) {
      error(null, null, `the line has ${fields.length} fields; the header has ${names.length}`);
      continue;
    }
    const cell = (column: Column): string | null => {
      const i = index.get(column);
      return i === undefined ? null : fields[i]!.trim();
    };
    const integer = (column: Column, min: number, max: number): number => {
      const raw = cell(column) ?? '';
      const value = /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
      if (!(value >= min && value <= max)) error(column, raw, `expected a whole number from ${min} to ${max}`);
      return value;
    };
    const decimal = (column: Column, min: number, max: number): number => {
      const raw = cell(column) ?? '';
      const value = raw === '' ? Number.NaN : Number(raw);
      if (!(value >= min && value <= max)) error(column, raw, `expected a number of feet from ${min} to ${max}`);
      // -0 and 0 are the same spot; keep one spelling so shot keys agree.
      return value === 0 ? 0 : value;
    };
    const text = (column: Column): string => {
      const raw = cell(column) ?? '';
      if (raw === '') error(column, raw, 'expected a value, found an empty cell');
      return raw;
    };
    const optionalText = (column: Column): string | null => {
      const raw = cell(column);
      return raw === null || raw === '' || raw.toUpperCase() === 'NA' ? null : raw;
    };

    const gameId = integer('GAME_ID', 1, 2 ** 31 - 1);
    const dateText = cell('GAME_DATE') ?? '';
    const gameDate = isoDate(dateText);
    if (gameDate === null) error('GAME_DATE', dateText, 'expected a date as MM-DD-YYYY (e.g. 11-03-2023) or YYYY-MM-DD');
    const teamId = integer('TEAM_ID', 1, 2 ** 31 - 1);
    const teamName = text('TEAM_NAME');
    const playerId = integer('PLAYER_ID', 1, 2 ** 31 - 1);
    const playerName = text('PLAYER_NAME');
    const homeTeam = teamCode(cell('HOME_TEAM') ?? '', 'HOME_TEAM', error);
    const awayTeam = teamCode(cell('AWAY_TEAM') ?? '', 'AWAY_TEAM', error);
    if (homeTeam !== null && homeTeam === awayTeam) error('AWAY_TEAM', awayTeam, `a team cannot play itself (HOME_TEAM is also ${homeTeam})`);
    const madeText = cell('SHOT_MADE') ?? '';
    const made = parseMade(madeText);
    if (made === null) error('SHOT_MADE', madeText, 'expected TRUE or FALSE');
    const eventType = optionalText('EVENT_TYPE');
    if (made !== null && eventType !== null && /^(made|missed) shot$/i.test(eventType) && /^made/i.test(eventType) !== made) {
      error('EVENT_TYPE', eventType, `contradicts SHOT_MADE ${madeText}`);
    }
    const actionType = text('ACTION_TYPE');
    const locX = decimal('LOC_X', -30, 30);
    const locY = decimal('LOC_Y', -5, 100);
    const period = integer('QUARTER', 1, 10);
    const minutesLeft = integer('MINS_LEFT', 0, 12);
    const secondsPart = integer('SECS_LEFT', 0, 59);
    const secondsLeft = minutesLeft * 60 + secondsPart;
    if (!bad && secondsLeft > 720) error('SECS_LEFT', cell('SECS_LEFT'), `the clock reads ${minutesLeft}:${String(secondsPart).padStart(2, '0')}, more than a 12-minute quarter`);
    if (bad) continue;

    // Zones, type and distance as the file gives them, else as the location implies.
    const geometric = basicZoneAt(locX, locY);
    const basicZone = vocabulary(cell('BASIC_ZONE'), isBasicZone, geometric, 'BASIC_ZONE', BASIC_ZONES, error);
    const shotType = vocabulary(cell('SHOT_TYPE'), isShotType, shotTypeOfZone(basicZone), 'SHOT_TYPE', SHOT_TYPES, error);
    const zoneArea = vocabulary(cell('ZONE_NAME'), isZoneArea, zoneAreaAt(locX, locY, basicZone), 'ZONE_NAME', ZONE_AREAS, error);
    const distanceCell = cell('SHOT_DISTANCE');
    const distanceFt =
      distanceCell === null || distanceCell === '' ? wholeFeetFromHoop(locX, locY) : integer('SHOT_DISTANCE', 0, 120);
    const zoneRange = vocabulary(cell('ZONE_RANGE'), isZoneRange, zoneRangeOf(distanceFt, basicZone, shotType), 'ZONE_RANGE', ZONE_RANGES, error);
    if (bad) continue;

    const seasonText = optionalText('SEASON_2');
    const season = seasonText ?? seasonOf(gameDate!);
    const game = games.get(gameId);
    if (game === undefined) {
      games.set(gameId, { date: gameDate!, home: homeTeam!, away: awayTeam!, line });
    } else if (game.date !== gameDate || game.home !== homeTeam || game.away !== awayTeam) {
      error(
        null,
        null,
        `game ${gameId} is ${gameDate} ${awayTeam} at ${homeTeam} here but ${game.date} ${game.away} at ${game.home} on line ${game.line}`,
      );
      continue;
    }
    const baseKey = `${gameId}|${playerId}|${period}|${secondsLeft}|${actionType}|${locX}|${locY}`;
    const occurrence = (occurrences.get(baseKey) ?? 0) + 1;
    occurrences.set(baseKey, occurrence);
    rows.push({
      line,
      gameId,
      season,
      gameDate: gameDate!,
      gameDayMs: Date.parse(`${gameDate}T00:00:00Z`),
      homeTeam: homeTeam!,
      awayTeam: awayTeam!,
      teamId,
      teamName,
      playerId,
      playerName,
      positionGroup: optionalText('POSITION_GROUP'),
      position: optionalText('POSITION'),
      period,
      secondsLeft,
      locX,
      locY,
      distanceFt,
      basicZone,
      zoneArea,
      zoneRange,
      actionType,
      shotType,
      made: made!,
      shotKey: `${baseKey}|${occurrence}`,
    });
  }
  return { rows, issues, dataRows, ignoredColumns, fatal: false };
}

function vocabulary<T extends string>(
  raw: string | null,
  is: (value: unknown) => value is T,
  fallback: T,
  column: Column,
  allowed: readonly string[],
  error: (column: Column, value: string, reason: string) => void,
): T {
  if (raw === null || raw === '') return fallback;
  if (is(raw)) return raw;
  error(column, raw, `expected one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
  return fallback;
}

function teamCode(raw: string, column: Column, error: (column: Column, value: string, reason: string) => void): string | null {
  if (/^[A-Z]{2,4}$/.test(raw)) return raw;
  error(column, raw, 'expected a team code of 2–4 capital letters, e.g. WAS');
  return null;
}

function parseMade(raw: string): boolean | null {
  const upper = raw.toUpperCase();
  if (upper === 'TRUE' || upper === '1') return true;
  if (upper === 'FALSE' || upper === '0') return false;
  return null;
}

/** `11-03-2023` (NBA.com's month-first order) or `2023-11-03` → `2023-11-03`; null when not a real date. */
export function isoDate(raw: string): string | null {
  let match = /^(\d{2})-(\d{2})-(\d{4})$/.exec(raw);
  let iso: string | null = null;
  if (match) iso = `${match[3]}-${match[1]}-${match[2]}`;
  match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
  if (match) iso = raw;
  if (iso === null) return null;
  const ms = Date.parse(`${iso}T00:00:00Z`);
  return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== iso ? null : iso;
}

/** NBA season of a game date: seasons start in the autumn, so Oct 2023 and Mar 2024 are both `2023-24`. */
export function seasonOf(isoDay: string): string {
  const year = Number(isoDay.slice(0, 4));
  const start = Number(isoDay.slice(5, 7)) >= 8 ? year : year - 1;
  return `${start}-${String((start + 1) % 100).padStart(2, '0')}`;
}

