import type { BasicZone, ShotType, ZoneArea, ZoneRange } from './shot-vocabulary.js';

/** LOC_Y of the hoop's centre, in feet from the baseline (LOC_X is 0 there). */
export const HOOP_Y_FT = 5.25;
/** LOC_Y of the half-court line: beyond it a shot is a backcourt shot. */
export const HALF_COURT_Y_FT = 47;
/** Radius of the restricted-area arc. */
const RESTRICTED_AREA_FT = 4;
/** The paint is 16 ft wide and reaches the free-throw line 19 ft from the baseline. */
const PAINT_HALF_WIDTH_FT = 8;
const PAINT_DEPTH_FT = 19;
/** The corner three runs 22 ft from the hoop, straight along the sideline up to 14 ft from the baseline. */
const CORNER_THREE_X_FT = 22;
const CORNER_THREE_Y_FT = 14;
/** The three-point arc above the break. */
const THREE_POINT_ARC_FT = 23.75;

/** Straight-line distance from the hoop in feet (not rounded; the source floors it). */
export function distanceFromHoopFt(locX: number, locY: number): number {
  return Math.hypot(locX, locY - HOOP_Y_FT);
}

/**
 * Distance in whole feet as NBA.com reports it: rounded down, after allowing for the binary noise in
 * the source's coordinates (a shot 25 ft away must not come out as 24.999999 and floor to 24).
 */
export function wholeFeetFromHoop(locX: number, locY: number): number {
  return Math.floor(distanceFromHoopFt(locX, locY) + 1e-6);
}

/**
 * Angle of the shot seen from the hoop, in degrees: 0 straight on, ±90 along the baseline, positive
 * on NBA.com's left (positive LOC_X); beyond ±90 behind the backboard.
 */
export function shotAngleDeg(locX: number, locY: number): number {
  return (Math.atan2(locX, locY - HOOP_Y_FT) * 180) / Math.PI;
}

/** NBA.com's basic zone of a location (agrees with the source on 99.9% of the 2023-24 shots). */
export function basicZoneAt(locX: number, locY: number): BasicZone {
  const distance = distanceFromHoopFt(locX, locY);
  if (locY > HALF_COURT_Y_FT) return 'Backcourt';
  if (distance <= RESTRICTED_AREA_FT) return 'Restricted Area';
  if (Math.abs(locX) <= PAINT_HALF_WIDTH_FT && locY <= PAINT_DEPTH_FT) return 'In The Paint (Non-RA)';
  if (Math.abs(locX) >= CORNER_THREE_X_FT && locY <= CORNER_THREE_Y_FT) return locX > 0 ? 'Left Corner 3' : 'Right Corner 3';
  if (distance >= THREE_POINT_ARC_FT) return 'Above the Break 3';
  return 'Mid-Range';
}

/** NBA.com's zone name (side of the court) of a location in a basic zone (99% agreement on 2023-24; mid-range wings are fuzzy). */
export function zoneAreaAt(locX: number, locY: number, zone: BasicZone): ZoneArea {
  const left = locX > 0;
  const angle = Math.abs(shotAngleDeg(locX, locY));
  switch (zone) {
    case 'Backcourt':
      return 'Back Court';
    case 'Restricted Area':
      return 'Center';
    case 'In The Paint (Non-RA)':
      // Short paint shots are all Center; from 8 ft the sides of the lane have their own names.
      return angle < 30 || distanceFromHoopFt(locX, locY) < 8 ? 'Center' : left ? 'Left Side' : 'Right Side';
    case 'Left Corner 3':
      return 'Left Side';
    case 'Right Corner 3':
      return 'Right Side';
    case 'Above the Break 3':
      return angle <= 18 ? 'Center' : left ? 'Left Side Center' : 'Right Side Center';
    case 'Mid-Range':
      if (Math.abs(locX) > PAINT_HALF_WIDTH_FT && locY < 17) return left ? 'Left Side' : 'Right Side';
      if (Math.abs(locX) <= 6) return 'Center';
      return left ? 'Left Side Center' : 'Right Side Center';
  }
}

/** Whether a shot from a basic zone counts three points. */
export function shotTypeOfZone(zone: BasicZone): ShotType {
  return zone === 'Left Corner 3' || zone === 'Right Corner 3' || zone === 'Above the Break 3' || zone === 'Backcourt'
    ? '3PT Field Goal'
    : '2PT Field Goal';
}

/** NBA.com's distance band: threes are always `24+ ft.` (corner threes included), backcourt its own. */
export function zoneRangeOf(distanceFt: number, zone: BasicZone, shotType: ShotType): ZoneRange {
  if (zone === 'Backcourt') return 'Back Court Shot';
  if (shotType === '3PT Field Goal') return '24+ ft.';
  if (distanceFt < 8) return 'Less Than 8 ft.';
  if (distanceFt < 16) return '8-16 ft.';
  if (distanceFt < 24) return '16-24 ft.';
  return '24+ ft.';
}

/**
 * The basic zone a shot described only by its distance most likely came from: the restricted area
 * up to 4 ft, the paint up to 8 ft, mid-range to 22 ft for twos, and above the break for threes.
 */
export function basicZoneForDistance(distanceFt: number, shotType: ShotType | null): BasicZone {
  if (distanceFt > 40) return 'Backcourt';
  if (shotType === '3PT Field Goal' || (shotType === null && distanceFt >= THREE_POINT_ARC_FT)) return 'Above the Break 3';
  if (distanceFt <= RESTRICTED_AREA_FT) return 'Restricted Area';
  if (distanceFt < 8) return 'In The Paint (Non-RA)';
  return 'Mid-Range';
}
