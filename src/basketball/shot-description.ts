import { TipsterError } from '../core/errors.js';
import type { NbaShot } from './nba-shot.js';
import { basicZoneAt, basicZoneForDistance, distanceFromHoopFt, shotTypeOfZone, wholeFeetFromHoop, zoneAreaAt, zoneRangeOf } from './shot-geometry.js';
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
} from './shot-vocabulary.js';

/**
 * A shot as a person describes it: when (period and clock), where (court location, or just the
 * distance and perhaps the zone), how (action type) and who (player, teams). Only period, clock and
 * a location or distance are required; everything else is filled in or left unknown.
 */
export interface ShotDescription {
  readonly playerId?: number | null;
  readonly teamId?: number | null;
  readonly opponentTeamId?: number | null;
  readonly isHome?: boolean | null;
  /** 1–4, 5+ for overtimes. */
  readonly period: number;
  /** Seconds left in the period; or give `clock`. */
  readonly secondsLeft?: number | null;
  /** Time left in the period as `M:SS` or `MM:SS`, e.g. `7:32`. */
  readonly clock?: string | null;
  /** Feet, NBA.com shot-chart coordinates: hoop at (0, 5.25), positive x is the chart's left. */
  readonly locX?: number | null;
  readonly locY?: number | null;
  /** Feet from the hoop (needed when there is no location). */
  readonly distanceFt?: number | null;
  readonly basicZone?: string | null;
  readonly zoneArea?: string | null;
  readonly zoneRange?: string | null;
  readonly shotType?: string | null;
  readonly actionType?: string | null;
}

/** How far a given distance may be from the one its location implies (the source floors distances). */
const DISTANCE_SLACK_FT = 2;

function invalid(reason: string): never {
  throw new TipsterError('TIPSTER_ERR_NBA_SHOT_INVALID', { reason });
}

function optionalId(value: unknown, name: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) invalid(`${name} must be a positive whole number, got ${JSON.stringify(value)}`);
  return value as number;
}

function finite(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number' || !(value >= min && value <= max)) invalid(`${name} must be a number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  return value as number;
}

function secondsLeftOf(input: ShotDescription, period: number): number {
  const limit = period >= 5 ? 300 : 720;
  if (input.secondsLeft !== undefined && input.secondsLeft !== null) {
    return finite(input.secondsLeft, 'secondsLeft', 0, limit);
  }
  if (typeof input.clock === 'string') {
    const match = /^(\d{1,2}):([0-5]\d)$/.exec(input.clock.trim());
    if (!match) invalid(`clock must look like 7:32 (minutes:seconds left in the period), got "${input.clock}"`);
    const seconds = Number(match![1]) * 60 + Number(match![2]);
    if (seconds > limit) invalid(`clock ${input.clock} is longer than a ${limit / 60}-minute period`);
    return seconds;
  }
  return invalid('give the time left in the period as secondsLeft or clock (e.g. "7:32")');
}

/**
 * Checks a described shot and completes it into what the models score: distance, zone, side,
 * range and shot type follow from the location when it is given (a given value must agree with
 * it), or from the distance otherwise. Unknown player, teams, side or action stay null.
 */
export function describeShot(input: ShotDescription): NbaShot {
  if (typeof input !== 'object' || input === null) invalid('expected an object describing the shot');
  if (typeof input.period !== 'number' || !Number.isInteger(input.period) || input.period < 1 || input.period > 10) {
    invalid(`period must be a whole number from 1 to 10 (5 and up are overtimes), got ${JSON.stringify(input.period)}`);
  }
  const period = input.period;
  const secondsLeft = secondsLeftOf(input, period);
  const hasX = input.locX !== undefined && input.locX !== null;
  const hasY = input.locY !== undefined && input.locY !== null;
  if (hasX !== hasY) invalid('give both locX and locY, or neither');
  const locX = hasX ? finite(input.locX, 'locX', -30, 30) : null;
  const locY = hasY ? finite(input.locY, 'locY', -5, 94) : null;

  const given = <T extends string>(value: unknown, is: (v: unknown) => v is T, name: string, allowed: readonly string[]): T | null => {
    if (value === undefined || value === null) return null;
    if (!is(value)) invalid(`${name} must be one of ${allowed.map((a) => `"${a}"`).join(', ')}, got ${JSON.stringify(value)}`);
    return value as T;
  };
  const givenZone = given(input.basicZone, isBasicZone, 'basicZone', BASIC_ZONES);
  const givenType = given(input.shotType, isShotType, 'shotType', SHOT_TYPES);
  const givenArea = given(input.zoneArea, isZoneArea, 'zoneArea', ZONE_AREAS);
  const givenRange = given(input.zoneRange, isZoneRange, 'zoneRange', ZONE_RANGES);

  let distanceFt: number;
  let basicZone: BasicZone;
  if (locX !== null && locY !== null) {
    const exact = distanceFromHoopFt(locX, locY);
    if (input.distanceFt !== undefined && input.distanceFt !== null) {
      distanceFt = finite(input.distanceFt, 'distanceFt', 0, 94);
      if (Math.abs(distanceFt - exact) > DISTANCE_SLACK_FT) invalid(`distanceFt ${distanceFt} does not match the location, which is ${exact.toFixed(1)} ft from the hoop`);
    } else {
      distanceFt = wholeFeetFromHoop(locX, locY);
    }
    basicZone = givenZone ?? basicZoneAt(locX, locY);
  } else {
    if (input.distanceFt === undefined || input.distanceFt === null) invalid('give the court location (locX and locY) or the distance from the hoop (distanceFt)');
    distanceFt = finite(input.distanceFt, 'distanceFt', 0, 94);
    basicZone = givenZone ?? basicZoneForDistance(distanceFt, givenType);
  }
  const zoneType = shotTypeOfZone(basicZone);
  if (givenType !== null && givenType !== zoneType) invalid(`shotType "${givenType}" cannot be taken from ${basicZone} (a ${zoneType === '3PT Field Goal' ? 'three' : 'two'})`);
  const shotType: ShotType = givenType ?? zoneType;
  const zoneArea = givenArea ?? (locX !== null && locY !== null ? zoneAreaAt(locX, locY, basicZone) : null);
  const zoneRange = givenRange ?? zoneRangeOf(distanceFt, basicZone, shotType);

  const action = input.actionType;
  if (action !== undefined && action !== null && (typeof action !== 'string' || action.trim() === '')) invalid('actionType must be a non-empty text such as "Jump Shot"');
  if (input.isHome !== undefined && input.isHome !== null && typeof input.isHome !== 'boolean') invalid('isHome must be true or false');
  const teamId = optionalId(input.teamId, 'teamId');
  const opponentTeamId = optionalId(input.opponentTeamId, 'opponentTeamId');
  if (teamId !== null && teamId === opponentTeamId) invalid('teamId and opponentTeamId must differ');
  return {
    playerId: optionalId(input.playerId, 'playerId'),
    teamId,
    opponentTeamId,
    isHome: input.isHome ?? null,
    period,
    secondsLeft,
    locX,
    locY,
    distanceFt,
    basicZone,
    zoneArea,
    zoneRange,
    shotType,
    actionType: typeof action === 'string' ? action.trim() : null,
  };
}
