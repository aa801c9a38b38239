import { zonedLocalToUtcMs } from '../../core/time.js';
import type { MatchRecord, MatchResult, MatchStat, OddsQuote, TeamStats } from '../../football/match-record.js';
import { parseSeasonCode, seasonCodeForStartYear } from '../../football/season-code.js';
import type { IngestIssue } from '../ingest-issue.js';
import { classifyColumns, type FootballDataColumns } from './columns.js';
import { decodeCsvBytes, type CsvEncoding } from './decode-csv-bytes.js';
import { splitCsvRows } from './split-csv-rows.js';

/** How to read one football-data file. */
export interface ParseFootballDataOptions {
  /** How issues name the file, e.g. `E0/2223.csv`. */
  readonly file: string;
  /** Season `YYZZ` (from the path); when absent each row's season is derived from its date. */
  readonly seasonCode?: string;
  /** Division the file is expected to hold (from the path); a row with another Div is an error. */
  readonly competitionCode?: string;
}

/** Everything read from one football-data file: the good rows, and what was wrong with the rest. */
export interface ParsedFootballData {
  readonly records: MatchRecord[];
  readonly issues: IngestIssue[];
  /** Header names not understood (and so not read), once each. */
  readonly ignoredColumns: string[];
  /** Non-blank rows after the header, whether or not they became records. */
  readonly dataRows: number;
  /** Rows holding nothing but commas and spaces; skipped silently. */
  readonly blankRows: number;
  readonly encoding: CsvEncoding;
  /** True when no row could be read at all (bad encoding, header or CSV structure); the issues say why. */
  readonly fatal: boolean;
}

// football-data publishes every league's kick-off times in UK time.
const SOURCE_TIME_ZONE = 'Europe/London';
const DATE_EXAMPLE = 'a date like 13/08/05 or 13/08/2005 (day/month/year)';

const STAT_LABELS: Readonly<Record<MatchStat, string>> = {
  shots: 'shots',
  shotsOnTarget: 'shots on target',
  woodwork: 'woodwork hits',
  corners: 'corners',
  fouls: 'fouls',
  freeKicksConceded: 'free kicks conceded',
  offsides: 'offsides',
  yellowCards: 'yellow cards',
  redCards: 'red cards',
  bookingPoints: 'booking points',
};

const RESULT_NAMES: Readonly<Record<string, string>> = { H: 'a home win', D: 'a draw', A: 'an away win' };

interface ParsedDate {
  readonly iso: string;
  readonly year: number;
  readonly month: number;
}

/** State shared by every row of one file. */
interface FileContext {
  readonly file: string;
  readonly columns: FootballDataColumns;
  readonly seasonCode: string | null;
  readonly seasonStartYear: number | null;
  readonly competitionCode: string | null;
  readonly issues: IngestIssue[];
  /** (season, home, away) → line of the first row with that pairing. */
  readonly pairings: Map<string, number>;
  /** This row's handicap lines by column index (NaN = none); reused across rows. */
  readonly lineValues: Float64Array;
}

/**
 * Parses one football-data.co.uk CSV (results or fixtures) into match records, collecting
 * every problem as an issue instead of throwing.
 */
export function parseFootballData(bytes: Uint8Array, options: ParseFootballDataOptions): ParsedFootballData {
  const file = options.file;
  const issues: IngestIssue[] = [];
  const records: MatchRecord[] = [];
  const empty = (encoding: CsvEncoding): ParsedFootballData => ({
    records,
    issues,
    ignoredColumns: [],
    dataRows: 0,
    blankRows: 0,
    encoding,
    fatal: true,
  });
  const fileError = (line: number, column: string | null, reason: string): void => {
    issues.push({ severity: 'error', file, line, column, value: null, reason });
  };

  // Excel's "Unicode text" export writes UTF-16; decoding it as UTF-8 would yield a
  // header of NULs and a baffling "no Date column" error.
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    fileError(0, null, 'the file is UTF-16 encoded; save it as CSV (UTF-8 or Windows-1252) and load it again');
    return empty('utf-8');
  }

  const seasonCode = nonEmpty(options.seasonCode);
  let seasonStartYear: number | null = null;
  if (seasonCode !== null) {
    seasonStartYear = parseSeasonCode(seasonCode)?.startYear ?? null;
    if (seasonStartYear === null) {
      fileError(0, null, `season "${seasonCode}" is not a football-data season code; expected YYZZ such as 2223 for 2022/23`);
      return empty('utf-8');
    }
  }

  const { text, encoding } = decodeCsvBytes(bytes);
  const split = splitCsvRows(text);
  if (split.ok === false) {
    fileError(split.line, null, split.reason);
    return empty(encoding);
  }
  const rows = split.rows;
  const header = rows[0]?.fields;
  if (header === undefined || isBlank(header)) {
    fileError(1, null, 'the file has no header line; expected one starting Div,Date,HomeTeam,AwayTeam,FTHG,FTAG');
    return empty(encoding);
  }

  const columns = classifyColumns(header);
  const competitionCode = nonEmpty(options.competitionCode);
  const headerOk = checkHeader(columns, competitionCode, file, issues);
  const context: FileContext = {
    file,
    columns,
    seasonCode,
    seasonStartYear,
    competitionCode,
    issues,
    pairings: new Map(),
    lineValues: new Float64Array(columns.names.length),
  };

  let dataRows = 0;
  let blankRows = 0;
  for (let r = 1; r < rows.length; r++) {
    const { fields, line } = rows[r]!;
    if (isBlank(fields)) {
      blankRows++;
      continue;
    }
    dataRows++;
    if (!headerOk) continue;
    if (fields.length !== columns.names.length) {
      issues.push({
        severity: 'error',
        file,
        line,
        column: null,
        value: null,
        reason:
          `the row has ${fields.length} fields but the header has ${columns.names.length}; ` +
          'a missing cell or an unquoted comma (e.g. in a team name) shifts every later column, so the row is skipped',
      });
      continue;
    }
    const record = readRow(fields, line, context);
    if (record !== null) records.push(record);
  }

  return { records, issues, ignoredColumns: [...columns.ignored], dataRows, blankRows, encoding, fatal: !headerOk };
}

/** Reports header problems; false when no row can be read with this header. */
function checkHeader(
  columns: FootballDataColumns,
  competitionCode: string | null,
  file: string,
  issues: IngestIssue[],
): boolean {
  let ok = true;
  const headerIssue = (severity: 'error' | 'warning', column: string | null, reason: string): void => {
    issues.push({ severity, file, line: 1, column, value: null, reason });
  };
  const required: ReadonlyArray<readonly [name: string, index: number]> = [
    ['Date', columns.base.date],
    ['HomeTeam', columns.base.homeTeam],
    ['AwayTeam', columns.base.awayTeam],
  ];
  for (const [name, index] of required) {
    if (index >= 0) continue;
    ok = false;
    headerIssue(
      'error',
      name,
      `the header has no ${name} column; a football-data file starts Div,Date,HomeTeam,AwayTeam (names are case-sensitive)`,
    );
  }
  if (columns.base.div < 0 && competitionCode === null) {
    ok = false;
    headerIssue('error', 'Div', 'the header has no Div column and no competition code was given, so the division is unknown');
  }
  if ((columns.base.ftHome < 0) !== (columns.base.ftAway < 0)) {
    ok = false;
    const missing = columns.base.ftHome < 0 ? 'FTHG' : 'FTAG';
    headerIssue('error', missing, `the header has ${missing === 'FTHG' ? 'FTAG' : 'FTHG'} but no ${missing}; a score needs both`);
  }
  for (const duplicate of columns.duplicates) {
    headerIssue('warning', duplicate.name, `column ${duplicate.name} appears more than once; only the first one is read`);
  }
  for (const name of columns.unlinedAhPrices) {
    headerIssue(
      'warning',
      name,
      'no handicap-line column (AHh, AHCh, BbAHh or a bookmaker AH column) goes with this Asian-handicap price, so its prices are dropped',
    );
  }
  return ok;
}

/** Reads one data row; null when it has an error (already reported). */
function readRow(fields: readonly string[], line: number, ctx: FileContext): MatchRecord | null {
  const { columns, file, issues } = ctx;
  const base = columns.base;
  const names = columns.names;
  let failed = false;
  const error = (index: number, value: string | null, reason: string): void => {
    failed = true;
    issues.push({ severity: 'error', file, line, column: index >= 0 ? names[index]! : null, value, reason });
  };
  const warn = (index: number, value: string | null, reason: string): void => {
    issues.push({ severity: 'warning', file, line, column: names[index] ?? null, value, reason });
  };
  const cell = (index: number): string => (index >= 0 ? fields[index]!.trim() : '');

  // Errors first: a row that will be skipped should not also produce warnings.
  const homeTeam = cell(base.homeTeam);
  const awayTeam = cell(base.awayTeam);
  if (homeTeam === '') error(base.homeTeam, '', 'HomeTeam is empty; every match needs both team names');
  if (awayTeam === '') error(base.awayTeam, '', 'AwayTeam is empty; every match needs both team names');
  if (homeTeam !== '' && homeTeam === awayTeam) {
    error(base.awayTeam, awayTeam, `home and away team are both "${homeTeam}"; one of the two names is wrong`);
  }

  const div = cell(base.div);
  let competitionCode = div;
  if (div === '') {
    if (ctx.competitionCode === null) {
      error(base.div, '', 'Div is empty; expected a division code such as E0');
    } else {
      competitionCode = ctx.competitionCode;
    }
  } else if (ctx.competitionCode !== null && div !== ctx.competitionCode) {
    error(
      base.div,
      div,
      `Div is ${div} but this file is being loaded as ${ctx.competitionCode}; move the row to the ${div} file or load the file as ${div}`,
    );
  }

  const dateText = cell(base.date);
  let date: ParsedDate | null = null;
  if (dateText === '') {
    error(base.date, '', `Date is empty; expected ${DATE_EXAMPLE}`);
  } else {
    date = parseDate(dateText, ctx.seasonStartYear);
    if (date === null) error(base.date, dateText, `expected ${DATE_EXAMPLE} that exists in the calendar`);
  }

  const result = readResult(cell, base, error);

  if (failed || date === null || result === undefined) return null;

  const seasonCode = ctx.seasonCode ?? seasonCodeForStartYear(date.month >= 7 ? date.year : date.year - 1);
  const pairing = `${seasonCode}\u0000${homeTeam}\u0000${awayTeam}`;
  const firstLine = ctx.pairings.get(pairing);
  if (firstLine !== undefined) {
    error(
      base.awayTeam,
      awayTeam,
      `${homeTeam} v ${awayTeam} in season ${seasonCode} already appears on line ${firstLine}; ` +
        'a pairing is played once per season, so one of the two rows is wrong',
    );
    return null;
  }
  ctx.pairings.set(pairing, line);

  // Warnings from here on: the match is kept, the doubtful value is left out.
  if (ctx.seasonStartYear !== null) {
    const from = `${ctx.seasonStartYear}-06-01`;
    const to = `${ctx.seasonStartYear + 1}-08-31`;
    if (date.iso < from || date.iso > to) {
      warn(
        base.date,
        dateText,
        `this date is outside season ${seasonCode} (${from} to ${to}); check that the file is filed under the right season`,
      );
    }
  }

  let kickoffTime: string | null = null;
  const timeText = cell(base.time);
  if (timeText !== '') {
    kickoffTime = parseTime(timeText);
    if (kickoffTime === null) {
      warn(base.time, timeText, 'expected a UK kick-off time like 15:00 or 19:45; the kick-off time is left empty');
    }
  }
  const kickoffAtMs = zonedLocalToUtcMs(date.iso, kickoffTime, SOURCE_TIME_ZONE);

  const fullResult = result === null ? null : readHalfTime(result, cell, base, warn);

  const homeStats = emptyStats();
  const awayStats = emptyStats();
  for (const column of columns.stats) {
    const text = fields[column.index]!.trim();
    if (text === '') continue;
    const value = parseDecimal(text);
    if (isCount(value)) {
      (column.side === 'home' ? homeStats : awayStats)[column.stat] = value;
    } else {
      warn(
        column.index,
        text,
        `expected a whole number of ${STAT_LABELS[column.stat]} (0 or more); the value is left empty and the match is kept`,
      );
    }
  }

  const refereeText = cell(base.referee);
  const attendanceText = cell(base.attendance);
  let attendance: number | null = null;
  if (attendanceText !== '') {
    const value = parseDecimal(attendanceText);
    if (isCount(value)) attendance = value;
    else warn(base.attendance, attendanceText, 'expected a whole number of spectators such as 35000; the attendance is left empty');
  }

  return {
    competitionCode,
    seasonCode,
    homeTeam,
    awayTeam,
    kickoffDate: date.iso,
    kickoffTime,
    kickoffAtMs,
    result: fullResult,
    referee: refereeText === '' ? null : refereeText,
    attendance,
    homeStats,
    awayStats,
    odds: readOdds(fields, ctx, warn),
    sourceLine: line,
  };
}

type CellReader = (index: number) => string;
type Report = (index: number, value: string | null, reason: string) => void;

/** Full-time score and FTR check: null for a fixture, undefined after an error. */
function readResult(
  cell: CellReader,
  base: FootballDataColumns['base'],
  error: Report,
): { ftHome: number; ftAway: number } | null | undefined {
  const homeText = cell(base.ftHome);
  const awayText = cell(base.ftAway);
  const resultText = cell(base.ftResult);
  if (homeText === '' && awayText === '') {
    if (resultText === '') return null;
    error(
      base.ftResult,
      resultText,
      `FTR is ${resultText} but FTHG and FTAG are empty; a played match needs both scores, a fixture needs neither`,
    );
    return undefined;
  }
  if (homeText === '' || awayText === '') {
    const [emptyIndex, emptyName, otherName, otherText] =
      homeText === '' ? [base.ftHome, 'FTHG', 'FTAG', awayText] : [base.ftAway, 'FTAG', 'FTHG', homeText];
    error(
      emptyIndex,
      '',
      `${emptyName} is empty but ${otherName} is ${otherText}; fill in both full-time scores for a played match, or leave both empty for a fixture`,
    );
    return undefined;
  }
  const ftHome = parseDecimal(homeText);
  const ftAway = parseDecimal(awayText);
  let ok = true;
  if (!isCount(ftHome)) {
    ok = false;
    error(base.ftHome, homeText, 'expected a whole number of goals such as 0 or 3');
  }
  if (!isCount(ftAway)) {
    ok = false;
    error(base.ftAway, awayText, 'expected a whole number of goals such as 0 or 3');
  }
  if (!ok) return undefined;
  if (resultText !== '') {
    const expected = ftHome > ftAway ? 'H' : ftHome < ftAway ? 'A' : 'D';
    if (RESULT_NAMES[resultText] === undefined) {
      error(base.ftResult, resultText, 'expected H (home win), D (draw) or A (away win)');
      return undefined;
    }
    if (resultText !== expected) {
      error(
        base.ftResult,
        resultText,
        `FTR says ${RESULT_NAMES[resultText]} but the score ${ftHome}-${ftAway} is ${RESULT_NAMES[expected]}; correct the score or the result`,
      );
      return undefined;
    }
  }
  return { ftHome, ftAway };
}

/** Adds the half-time score when it is present and believable; otherwise warns and leaves it null. */
function readHalfTime(
  full: { ftHome: number; ftAway: number },
  cell: CellReader,
  base: FootballDataColumns['base'],
  warn: Report,
): MatchResult {
  const withoutHalfTime: MatchResult = { ftHome: full.ftHome, ftAway: full.ftAway, htHome: null, htAway: null };
  const homeText = cell(base.htHome);
  const awayText = cell(base.htAway);
  if (homeText === '' && awayText === '') return withoutHalfTime;
  if (homeText === '' || awayText === '') {
    const [index, value] = homeText === '' ? [base.htHome, homeText] : [base.htAway, awayText];
    warn(index, value, 'only one half-time score is filled in; the half-time score is left empty');
    return withoutHalfTime;
  }
  const htHome = parseDecimal(homeText);
  const htAway = parseDecimal(awayText);
  if (!isCount(htHome) || !isCount(htAway)) {
    const [index, value] = isCount(htHome) ? [base.htAway, awayText] : [base.htHome, homeText];
    warn(index, value, 'expected a whole number of goals such as 0 or 1; the half-time score is left empty');
    return withoutHalfTime;
  }
  if (htHome > full.ftHome || htAway > full.ftAway) {
    warn(
      base.htHome,
      `${homeText}-${awayText}`,
      `half-time score ${htHome}-${htAway} exceeds the full-time score ${full.ftHome}-${full.ftAway}; the half-time score is left empty`,
    );
    return withoutHalfTime;
  }
  return { ftHome: full.ftHome, ftAway: full.ftAway, htHome, htAway };
}

/** Every price on the row; a bad price or a handicap price without a line is dropped with a warning. */
function readOdds(fields: readonly string[], ctx: FileContext, warn: Report): OddsQuote[] {
  const { columns, lineValues } = ctx;
  for (const index of columns.ahLineIndexes) {
    const text = fields[index]!.trim();
    let value = Number.NaN;
    if (text !== '') {
      value = parseDecimal(text);
      // Handicaps come in quarter goals; anything else is a typo that would misplace the prices.
      if (!Number.isInteger(value * 4)) {
        warn(index, text, 'expected a handicap in quarter goals such as -0.75, 0 or 1.5; the Asian-handicap prices that use it are dropped');
        value = Number.POSITIVE_INFINITY; // marks "reported", so prices using it stay silent
      }
    }
    lineValues[index] = value;
  }

  const odds: OddsQuote[] = [];
  for (const column of columns.prices) {
    const text = trimCell(fields[column.index]!);
    if (text.length === 0) continue;
    const price = parseDecimal(text);
    if (!(price > 1) || price === Number.POSITIVE_INFINITY) {
      warn(
        column.index,
        text,
        Number.isNaN(price)
          ? 'expected decimal odds such as 1.85; this price is dropped'
          : 'decimal odds must be greater than 1.0; this price is dropped',
      );
      continue;
    }
    let line = column.line;
    if (column.market === 'ah') {
      if (column.lineIndex < 0) continue; // reported once for the whole file
      line = lineValues[column.lineIndex]!;
      if (line === Number.POSITIVE_INFINITY) continue;
      if (Number.isNaN(line)) {
        warn(
          column.index,
          text,
          `the handicap line ${columns.names[column.lineIndex]} is empty on this row, so this Asian-handicap price is dropped`,
        );
        continue;
      }
    }
    odds.push({
      bookmaker: column.bookmaker,
      market: column.market,
      line,
      selection: column.selection,
      phase: column.phase,
      price,
    });
  }
  return odds;
}

function emptyStats(): TeamStats {
  return {
    shots: null,
    shotsOnTarget: null,
    woodwork: null,
    corners: null,
    fouls: null,
    freeKicksConceded: null,
    offsides: null,
    yellowCards: null,
    redCards: null,
    bookingPoints: null,
  };
}

function nonEmpty(value: string | undefined): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}

/** Like String#trim, but skips the call for the usual cell with no surrounding space (this runs per price). */
function trimCell(text: string): string {
  const last = text.length - 1;
  return last >= 0 && (text.charCodeAt(0) <= 32 || text.charCodeAt(last) <= 32) ? text.trim() : text;
}

function isBlank(fields: readonly string[]): boolean {
  for (const field of fields) {
    if (field.length !== 0 && field.trim() !== '') return false;
  }
  return true;
}

function isCount(value: number): boolean {
  return Number.isInteger(value) && value >= 0;
}

/**
 * Strict decimal: optional minus, digits, optional fraction (`10`, `10.0`, `1.85`, `-1.0`); NaN otherwise.
 * Number() alone would also take `0x1A`, `1e3` and `Infinity`, which are typos in this data.
 * Odds cells are most of the work of a file, so the value is built in the same pass.
 */
function parseDecimal(text: string): number {
  const length = text.length;
  const negative = text.charCodeAt(0) === 45;
  let i = negative ? 1 : 0;
  let mantissa = 0;
  let digits = 0;
  let scale = 1;
  let code = text.charCodeAt(i);
  while (code >= 48 && code <= 57) {
    mantissa = mantissa * 10 + (code - 48);
    digits++;
    code = text.charCodeAt(++i);
  }
  if (code === 46) {
    code = text.charCodeAt(++i);
    while (code >= 48 && code <= 57) {
      mantissa = mantissa * 10 + (code - 48);
      scale *= 10;
      digits++;
      code = text.charCodeAt(++i);
    }
  }
  if (i !== length || digits === 0) return Number.NaN;
  // Up to 15 digits the mantissa and the power of ten are exact doubles, so one division is
  // correctly rounded and equals Number(text); longer inputs take the slow exact route.
  if (digits > 15) return Number(text);
  const value = mantissa / scale;
  return negative && value !== 0 ? -value : value;
}

/** Reads `start`..`end` (exclusive) as an unsigned integer; -1 if any character is not a digit. */
function digitsValue(text: string, start: number, end: number): number {
  if (end <= start) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return -1;
    value = value * 10 + (code - 48);
  }
  return value;
}

/** `dd/mm/yy` or `dd/mm/yyyy` (1- or 2-digit day and month) to a real calendar date; null otherwise. */
function parseDate(text: string, seasonStartYear: number | null): ParsedDate | null {
  const firstSlash = text.indexOf('/');
  const secondSlash = firstSlash < 0 ? -1 : text.indexOf('/', firstSlash + 1);
  if (secondSlash < 0 || firstSlash > 2 || secondSlash - firstSlash > 3) return null;
  const day = digitsValue(text, 0, firstSlash);
  const month = digitsValue(text, firstSlash + 1, secondSlash);
  const yearDigits = text.length - secondSlash - 1;
  const yearValue = digitsValue(text, secondSlash + 1, text.length);
  if (day < 1 || month < 1 || month > 12 || yearValue < 0) return null;
  let year: number;
  if (yearDigits === 4) year = yearValue;
  else if (yearDigits === 2) year = expandTwoDigitYear(yearValue, seasonStartYear);
  else return null;
  if (day > daysInMonth(year, month)) return null;
  return { iso: `${year}-${pad2(month)}-${pad2(day)}`, year, month };
}

/** The century comes from the season (`9900`: 99 is 1999, 00 is 2000); without one, 20yy. */
function expandTwoDigitYear(yy: number, seasonStartYear: number | null): number {
  if (seasonStartYear === null) return 2000 + yy;
  // Of the three centuries around the season, take the year closest to its start.
  const century = Math.floor(seasonStartYear / 100) * 100;
  let best = century + yy;
  for (const candidate of [century - 100 + yy, century + 100 + yy]) {
    if (Math.abs(candidate - seasonStartYear) < Math.abs(best - seasonStartYear)) best = candidate;
  }
  return best;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** `H:MM` or `HH:MM` to `HH:MM`; null when it is not a clock time. */
function parseTime(text: string): string | null {
  const colon = text.indexOf(':');
  if (colon < 1 || colon > 2 || text.length - colon !== 3) return null;
  const hour = digitsValue(text, 0, colon);
  const minute = digitsValue(text, colon + 1, text.length);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return null;
  return `${pad2(hour)}:${pad2(minute)}`;
}

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}
