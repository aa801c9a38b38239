import { elapsedSeconds, ON_TARGET_OUTCOMES, type LiveEvent } from './live-event.js';

/** One side's running totals. */
export interface TeamLiveStats {
  goals: number;
  shots: number;
  shotsOnTarget: number;
  xg: number;
  corners: number;
  yellowCards: number;
  redCards: number;
  substitutions: number;
  /** Passes, carries and ball receipts: possession share is each side's share of these. */
  possessionEvents: number;
}

export const TIMELINE_KINDS = ['goal', 'own-goal', 'yellow-card', 'red-card', 'substitution', 'half-start', 'half-end', 'match-end'] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

/** A key moment of the match. */
export interface TimelineEntry {
  readonly index: number;
  readonly eventId: string;
  readonly kind: TimelineKind;
  readonly period: number;
  readonly minute: number;
  readonly second: number;
  readonly team: string;
  readonly player?: string;
  readonly detail?: string;
}

export const LIVE_STATUSES = ['live', 'finished'] as const;
export type LiveStatus = (typeof LIVE_STATUSES)[number];

/** Everything the match centre shows about one match; plain data so it serialises as JSON. */
export interface LiveMatchState {
  readonly matchId: string;
  readonly homeTeam: string;
  readonly awayTeam: string;
  status: LiveStatus;
  period: number;
  minute: number;
  second: number;
  /** Between the first half's Half End and the second half's Half Start. */
  halfTime: boolean;
  /** Index of the last applied event: events at or below it are duplicates and change nothing. */
  lastIndex: number;
  eventCount: number;
  readonly home: TeamLiveStats;
  readonly away: TeamLiveStats;
  readonly timeline: TimelineEntry[];
}

function emptyStats(): TeamLiveStats {
  return { goals: 0, shots: 0, shotsOnTarget: 0, xg: 0, corners: 0, yellowCards: 0, redCards: 0, substitutions: 0, possessionEvents: 0 };
}

/** The state of a match before its first event. */
export function newLiveMatchState(matchId: string, homeTeam: string, awayTeam: string): LiveMatchState {
  return { matchId, homeTeam, awayTeam, status: 'live', period: 1, minute: 0, second: 0, halfTime: false, lastIndex: 0, eventCount: 0, home: emptyStats(), away: emptyStats(), timeline: [] };
}

/** Home share of possession events, 0 … 1 (0.5 before any). */
export function possessionShare(state: LiveMatchState): number {
  const total = state.home.possessionEvents + state.away.possessionEvents;
  return total === 0 ? 0.5 : state.home.possessionEvents / total;
}

/** What applying an event did. */
export interface AppliedEvent {
  /** False for a duplicate or redelivery (index not after the last applied one): nothing changed. */
  readonly applied: boolean;
  /** The event added a timeline entry (goal, card, substitution, half start/end, end). */
  readonly key: boolean;
}

const NOT_APPLIED: AppliedEvent = Object.freeze({ applied: false, key: false });
const PLAIN: AppliedEvent = Object.freeze({ applied: true, key: false });
const KEY: AppliedEvent = Object.freeze({ applied: true, key: true });

/**
 * Applies one event in place. Idempotent by (match, index): an event whose index is not after the
 * last applied one is ignored, so duplicates and redeliveries change nothing. Events after the
 * match has ended are ignored too.
 */
export function applyLiveEvent(state: LiveMatchState, event: LiveEvent): AppliedEvent {
  if (event.index <= state.lastIndex || state.status === 'finished') return NOT_APPLIED;
  state.lastIndex = event.index;
  state.eventCount++;
  // The clock only moves forward: a late-stamped event does not rewind it.
  if (event.period > state.period || (event.period === state.period && elapsedSeconds(event) >= state.minute * 60 + state.second)) {
    state.period = event.period;
    state.minute = event.minute;
    state.second = event.second;
  }
  const isHome = event.team === state.homeTeam;
  const side = isHome ? state.home : state.away;
  const entry = (kind: TimelineKind, detail?: string): AppliedEvent => {
    state.timeline.push({
      index: event.index,
      eventId: event.id,
      kind,
      period: event.period,
      minute: event.minute,
      second: event.second,
      team: event.team,
      ...(event.player !== undefined ? { player: event.player } : {}),
      ...(detail !== undefined ? { detail } : {}),
    });
    return KEY;
  };
  switch (event.type) {
    case 'Pass':
      side.possessionEvents++;
      if (event.corner === true) side.corners++;
      return PLAIN;
    case 'Carry':
    case 'Ball Receipt*':
      side.possessionEvents++;
      return PLAIN;
    case 'Shot': {
      const shot = event.shot!;
      side.shots++;
      side.xg += shot.xg;
      if (ON_TARGET_OUTCOMES.has(shot.outcome)) side.shotsOnTarget++;
      if (shot.outcome !== 'Goal') return PLAIN;
      side.goals++;
      return entry('goal', shot.kind === 'Penalty' ? 'penalty' : `xG ${shot.xg.toFixed(2)}`);
    }
    case 'Own Goal For':
      side.goals++;
      return entry('own-goal');
    case 'Foul Committed':
    case 'Bad Behaviour':
      if (event.card === undefined) return PLAIN;
      if (event.card === 'Yellow Card') {
        side.yellowCards++;
        return entry('yellow-card');
      }
      side.redCards++;
      return entry('red-card', event.card === 'Second Yellow' ? 'second yellow' : undefined);
    case 'Substitution':
      side.substitutions++;
      return entry('substitution', `on: ${event.substitution!.replacement}`);
    case 'Half Start':
      // StatsBomb sends one Half Start/End per team: the timeline keeps the first of each pair.
      if (state.timeline.some((t) => t.kind === 'half-start' && t.period === event.period)) return PLAIN;
      state.halfTime = false;
      return entry('half-start');
    case 'Half End':
      if (state.timeline.some((t) => t.kind === 'half-end' && t.period === event.period)) return PLAIN;
      if (event.period === 1) state.halfTime = true;
      return entry('half-end');
    case 'Match End':
      state.status = 'finished';
      state.halfTime = false;
      return entry('match-end');
    default:
      return PLAIN;
  }
}
