const MS_PER_DAY = 86_400_000;
const DAY_OFFSET_CACHE_LIMIT = 20_000;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_PATTERN = /^(\d{2}):(\d{2})$/;

// Creating an Intl.DateTimeFormat is far slower than using one, and ingest converts
// tens of thousands of kick-offs, so keep one formatter per zone.
const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

function offsetFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = offsetFormatters.get(timeZone);
  if (formatter === undefined) {
    // Throws RangeError for an unknown zone, which is the error a caller should see.
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    offsetFormatters.set(timeZone, formatter);
  }
  return formatter;
}

// Offset in force all day, by `zone date`; NaN for days near a clock change. Ingest converts
// tens of thousands of kick-offs on a few thousand dates, and each ICU lookup costs microseconds.
const dayOffsets = new Map<string, number>();

/** Offset of `timeZone` from UTC at instant `utcMs`, in ms (positive east of Greenwich). */
function zoneOffsetMs(timeZone: string, utcMs: number): number {
  const parts = offsetFormatter(timeZone).formatToParts(utcMs);
  let name = '';
  for (const part of parts) {
    if (part.type === 'timeZoneName') name = part.value;
  }
  // `longOffset` renders as "GMT" at zero offset, else "GMT+01:00" / "GMT-03:30".
  if (name === 'GMT' || name === 'UTC') return 0;
  const match = /^(?:GMT|UTC)([+-])(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(name);
  if (match === null) throw new RangeError(`unexpected time-zone offset "${name}" for ${timeZone}`);
  const sign = match[1] === '-' ? -1 : 1;
  const seconds = Number(match[2]) * 3600 + Number(match[3]) * 60 + Number(match[4] ?? '0');
  return sign * seconds * 1000;
}

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * UTC epoch ms of wall-clock `date` (`YYYY-MM-DD`) and `time` (`HH:MM`, null = 00:00) in IANA `timeZone`.
 *
 * Like Temporal's "compatible" rule: a time repeated when clocks go back resolves to the
 * earlier instant; a time skipped when clocks go forward is shifted forward by the gap.
 */
export function zonedLocalToUtcMs(date: string, time: string | null, timeZone: string): number {
  const dateMatch = DATE_PATTERN.exec(date);
  if (dateMatch === null) throw new RangeError(`expected a date like 2022-08-05, got "${date}"`);
  const year = Number(dateMatch[1]);
  const month = Number(dateMatch[2]);
  const day = Number(dateMatch[3]);
  if (!isRealDate(year, month, day)) throw new RangeError(`"${date}" is not a calendar date`);

  let hour = 0;
  let minute = 0;
  if (time !== null) {
    const timeMatch = TIME_PATTERN.exec(time);
    hour = Number(timeMatch?.[1] ?? NaN);
    minute = Number(timeMatch?.[2] ?? NaN);
    if (!(hour <= 23 && minute <= 59)) throw new RangeError(`expected a time like 19:45, got "${time}"`);
  }

  // The wall clock read as if it were UTC; the answer is this minus the zone's offset then.
  const dayMs = Date.UTC(year, month - 1, day);
  const wallMs = dayMs + (hour * 60 + minute) * 60_000;

  const dayKey = `${timeZone} ${date}`;
  let dayOffset = dayOffsets.get(dayKey);
  if (dayOffset === undefined) {
    // Same offset a day before and a day after this date means no clock change on it
    // (zones never change twice within three days).
    const before = zoneOffsetMs(timeZone, dayMs - MS_PER_DAY);
    dayOffset = before === zoneOffsetMs(timeZone, dayMs + 2 * MS_PER_DAY) ? before : Number.NaN;
    if (dayOffsets.size >= DAY_OFFSET_CACHE_LIMIT) dayOffsets.clear();
    dayOffsets.set(dayKey, dayOffset);
  }
  if (!Number.isNaN(dayOffset)) return wallMs - dayOffset;

  // Zones change offset at most once within a day, so the offsets a day either side are the
  // only candidates; try each and keep those that really map back to this wall-clock time.
  const offsetBefore = zoneOffsetMs(timeZone, wallMs - MS_PER_DAY);
  const offsetAfter = zoneOffsetMs(timeZone, wallMs + MS_PER_DAY);
  let best = Number.POSITIVE_INFINITY;
  for (const offset of offsetBefore === offsetAfter ? [offsetBefore] : [offsetBefore, offsetAfter]) {
    const candidate = wallMs - offset;
    if (zoneOffsetMs(timeZone, candidate) === offset && candidate < best) best = candidate;
  }
  if (best !== Number.POSITIVE_INFINITY) return best;
  // In the spring-forward gap no instant shows this wall time; reading it with the
  // pre-transition offset lands the same distance past the jump, as Temporal does.
  return wallMs - offsetBefore;
}
