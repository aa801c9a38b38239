import { TipsterError } from '../core/errors.js';

/**
 * Event types Tipster accepts: StatsBomb's names (so a StatsBomb file replays unchanged) plus
 * `Match End`, our own marker that a match is over (StatsBomb ends with two `Half End` events
 * and cannot say whether extra time follows). Only some types change the live state; the others
 * count towards possession share.
 */
export const LIVE_EVENT_TYPES = [
  'Starting XI',
  'Half Start',
  'Half End',
  'Pass',
  'Ball Receipt*',
  'Carry',
  'Pressure',
  'Dispossessed',
  'Duel',
  'Clearance',
  'Ball Recovery',
  'Dribbled Past',
  'Dribble',
  'Interception',
  'Block',
  'Miscontrol',
  'Foul Committed',
  'Foul Won',
  'Shot',
  'Goal Keeper',
  'Injury Stoppage',
  'Substitution',
  'Tactical Shift',
  'Shield',
  'Bad Behaviour',
  'Own Goal For',
  'Own Goal Against',
  'Offside',
  '50/50',
  'Error',
  'Player On',
  'Player Off',
  'Referee Ball-Drop',
  'Camera On',
  'Camera off',
  'Match End',
] as const;
export type LiveEventType = (typeof LIVE_EVENT_TYPES)[number];

/** StatsBomb shot outcomes. */
export const SHOT_OUTCOMES = ['Goal', 'Saved', 'Saved Off Target', 'Saved to Post', 'Off T', 'Post', 'Wayward', 'Blocked'] as const;
export type ShotOutcome = (typeof SHOT_OUTCOMES)[number];

/** Shot outcomes that count as on target (StatsBomb's convention: goals and saves). */
export const ON_TARGET_OUTCOMES: ReadonlySet<ShotOutcome> = new Set(['Goal', 'Saved', 'Saved to Post']);

export const CARDS = ['Yellow Card', 'Second Yellow', 'Red Card'] as const;
export type Card = (typeof CARDS)[number];

/** A shot: StatsBomb's `shot.outcome.name` and `shot.statsbomb_xg`, flattened. */
export interface LiveShot {
  readonly outcome: ShotOutcome;
  /** Expected goals of the chance, 0 … 1. */
  readonly xg: number;
  readonly bodyPart?: string;
  /** Open Play, Penalty, Free Kick, Corner, Kick Off. */
  readonly kind?: string;
}

/**
 * One match event as it travels on the bus, a documented subset of StatsBomb's event
 * (docs/live-events.md). Every event names its match and both teams so a consumer that
 * joins mid-match needs nothing else.
 */
export interface LiveEvent {
  /** Our match key, e.g. `sb-15986` or `sim-…`; letters, digits, `.`, `_`, `-` (it becomes a NATS subject token). */
  readonly matchId: string;
  readonly homeTeam: string;
  readonly awayTeam: string;
  /** Unique event id (StatsBomb's UUID); duplicates by id change nothing. */
  readonly id: string;
  /** Position in the match, 1, 2, 3 …: the order of the match's events. */
  readonly index: number;
  /** 1, 2 halves; 3, 4 extra time; 5 penalty shoot-out. */
  readonly period: number;
  /** Absolute match clock (the second half starts at 45:00), as StatsBomb. */
  readonly minute: number;
  readonly second: number;
  readonly type: LiveEventType;
  /** The acting team; must be homeTeam or awayTeam. */
  readonly team: string;
  readonly player?: string;
  /** Pitch coordinates in StatsBomb's 120 × 80 frame. */
  readonly location?: readonly [number, number];
  readonly shot?: LiveShot;
  /** Pass events: true for a corner kick. */
  readonly corner?: boolean;
  /** Foul Committed / Bad Behaviour: the card shown. */
  readonly card?: Card;
  /** Substitution: who comes on. */
  readonly substitution?: { readonly replacement: string };
  /** Epoch ms when the producer emitted the event (latency measurements); optional. */
  readonly emittedAtMs?: number;
}

const typeSet: ReadonlySet<string> = new Set(LIVE_EVENT_TYPES);
const outcomeSet: ReadonlySet<string> = new Set(SHOT_OUTCOMES);
const cardSet: ReadonlySet<string> = new Set(CARDS);
const MATCH_ID = /^[A-Za-z0-9._-]{1,64}$/;
const KNOWN_FIELDS: ReadonlySet<string> = new Set([
  'matchId',
  'homeTeam',
  'awayTeam',
  'id',
  'index',
  'period',
  'minute',
  'second',
  'type',
  'team',
  'player',
  'location',
  'shot',
  'corner',
  'card',
  'substitution',
  'emittedAtMs',
]);

/** Largest match minute accepted (120 + generous stoppage time). */
export const MAX_MINUTE = 150;

function isText(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.trim() !== '' && value.length <= max;
}

function isWhole(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/**
 * Checks an untrusted value against the event schema and returns it typed, or throws
 * TIPSTER_ERR_LIVE_EVENT_INVALID naming the event (`where`) and every problem found.
 */
export function parseLiveEvent(value: unknown, where = 'event'): LiveEvent {
  const problems: string[] = [];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TipsterError('TIPSTER_ERR_LIVE_EVENT_INVALID', { where, reason: 'expected an object' });
  }
  const e = value as Record<string, unknown>;
  const label = isText(e.id, 64) ? `${where} (id ${e.id})` : where;
  for (const key of Object.keys(e)) if (!KNOWN_FIELDS.has(key)) problems.push(`unknown field "${key}"`);
  if (typeof e.matchId !== 'string' || !MATCH_ID.test(e.matchId)) problems.push('matchId must be 1-64 letters, digits, ".", "_" or "-"');
  if (!isText(e.homeTeam, 100)) problems.push('homeTeam must be a non-empty name (≤ 100 characters)');
  if (!isText(e.awayTeam, 100)) problems.push('awayTeam must be a non-empty name (≤ 100 characters)');
  if (isText(e.homeTeam, 100) && e.homeTeam === e.awayTeam) problems.push('homeTeam and awayTeam must differ');
  if (!isText(e.id, 64)) problems.push('id must be a non-empty string of at most 64 characters');
  if (!isWhole(e.index, 1, 1_000_000)) problems.push('index must be a whole number from 1');
  if (!isWhole(e.period, 1, 5)) problems.push('period must be 1-5');
  if (!isWhole(e.minute, 0, MAX_MINUTE)) problems.push(`minute must be a whole number 0-${MAX_MINUTE}`);
  if (!isWhole(e.second, 0, 59)) problems.push('second must be a whole number 0-59');
  if (typeof e.type !== 'string' || !typeSet.has(e.type)) problems.push(`type "${String(e.type)}" is not a known event type (see docs/live-events.md)`);
  if (!isText(e.team, 100) || (e.team !== e.homeTeam && e.team !== e.awayTeam)) problems.push('team must be homeTeam or awayTeam');
  if (e.player !== undefined && !isText(e.player, 100)) problems.push('player must be a non-empty name');
  if (e.location !== undefined) {
    const l = e.location;
    if (!Array.isArray(l) || l.length !== 2 || typeof l[0] !== 'number' || typeof l[1] !== 'number' || !(l[0] >= 0 && l[0] <= 120 && l[1] >= 0 && l[1] <= 80)) {
      problems.push('location must be [x, y] with 0 ≤ x ≤ 120 and 0 ≤ y ≤ 80');
    }
  }
  if (e.type === 'Shot' && e.shot === undefined) problems.push('a Shot needs shot: {outcome, xg}');
  if (e.shot !== undefined) {
    const s = e.shot as Record<string, unknown> | null;
    if (e.type !== 'Shot') problems.push('shot is only allowed on Shot events');
    if (s === null || typeof s !== 'object') problems.push('shot must be an object');
    else {
      for (const key of Object.keys(s)) if (!['outcome', 'xg', 'bodyPart', 'kind'].includes(key)) problems.push(`unknown field "shot.${key}"`);
      if (typeof s.outcome !== 'string' || !outcomeSet.has(s.outcome)) problems.push(`shot.outcome must be one of ${SHOT_OUTCOMES.join(', ')}`);
      if (typeof s.xg !== 'number' || !(s.xg >= 0 && s.xg <= 1)) problems.push('shot.xg must be a number from 0 to 1');
      if (s.bodyPart !== undefined && !isText(s.bodyPart, 40)) problems.push('shot.bodyPart must be a short name');
      if (s.kind !== undefined && !isText(s.kind, 40)) problems.push('shot.kind must be a short name');
    }
  }
  if (e.corner !== undefined && (typeof e.corner !== 'boolean' || e.type !== 'Pass')) problems.push('corner must be a boolean on a Pass');
  if (e.card !== undefined && (typeof e.card !== 'string' || !cardSet.has(e.card) || (e.type !== 'Foul Committed' && e.type !== 'Bad Behaviour'))) {
    problems.push(`card must be one of ${CARDS.join(', ')} on a Foul Committed or Bad Behaviour event`);
  }
  if (e.type === 'Substitution') {
    const sub = e.substitution as Record<string, unknown> | undefined;
    if (sub === null || typeof sub !== 'object' || !isText(sub.replacement, 100) || Object.keys(sub).length !== 1) {
      problems.push('a Substitution needs substitution: {replacement}');
    }
  } else if (e.substitution !== undefined) problems.push('substitution is only allowed on Substitution events');
  if (e.emittedAtMs !== undefined && !(typeof e.emittedAtMs === 'number' && Number.isFinite(e.emittedAtMs))) problems.push('emittedAtMs must be epoch milliseconds');
  if (problems.length > 0) throw new TipsterError('TIPSTER_ERR_LIVE_EVENT_INVALID', { where: label, reason: problems.join('; ') });
  return value as LiveEvent;
}

/** Seconds of match clock elapsed at an event (the clock is absolute: 45:00 starts the second half). */
export function elapsedSeconds(event: Pick<LiveEvent, 'minute' | 'second'>): number {
  return event.minute * 60 + event.second;
}
