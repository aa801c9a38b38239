/**
 * The fixed vocabularies of NBA.com shot-chart data, as the source spells them. Their order is
 * their categorical code in model features, so only ever append.
 */
export const BASIC_ZONES = [
  'Restricted Area',
  'In The Paint (Non-RA)',
  'Mid-Range',
  'Left Corner 3',
  'Right Corner 3',
  'Above the Break 3',
  'Backcourt',
] as const;
/** One of BASIC_ZONES. */
export type BasicZone = (typeof BASIC_ZONES)[number];

/** ZONE_NAME: the side of the court (NBA.com's left is positive LOC_X). */
export const ZONE_AREAS = ['Center', 'Left Side Center', 'Right Side Center', 'Left Side', 'Right Side', 'Back Court'] as const;
/** One of ZONE_AREAS. */
export type ZoneArea = (typeof ZONE_AREAS)[number];

/** ZONE_RANGE: distance bands. */
export const ZONE_RANGES = ['Less Than 8 ft.', '8-16 ft.', '16-24 ft.', '24+ ft.', 'Back Court Shot'] as const;
/** One of ZONE_RANGES. */
export type ZoneRange = (typeof ZONE_RANGES)[number];

export const SHOT_TYPES = ['2PT Field Goal', '3PT Field Goal'] as const;
/** One of SHOT_TYPES. */
export type ShotType = (typeof SHOT_TYPES)[number];

const basicZoneSet: ReadonlySet<string> = new Set(BASIC_ZONES);
const zoneAreaSet: ReadonlySet<string> = new Set(ZONE_AREAS);
const zoneRangeSet: ReadonlySet<string> = new Set(ZONE_RANGES);
const shotTypeSet: ReadonlySet<string> = new Set(SHOT_TYPES);

/** True when `value` is one of BASIC_ZONES. */
export function isBasicZone(value: unknown): value is BasicZone {
  return typeof value === 'string' && basicZoneSet.has(value);
}

/** True when `value` is one of ZONE_AREAS. */
export function isZoneArea(value: unknown): value is ZoneArea {
  return typeof value === 'string' && zoneAreaSet.has(value);
}

/** True when `value` is one of ZONE_RANGES. */
export function isZoneRange(value: unknown): value is ZoneRange {
  return typeof value === 'string' && zoneRangeSet.has(value);
}

/** True when `value` is one of SHOT_TYPES. */
export function isShotType(value: unknown): value is ShotType {
  return typeof value === 'string' && shotTypeSet.has(value);
}

/** Seconds in a regulation quarter; overtimes last 300 s. */
export const QUARTER_SECONDS = 720;
