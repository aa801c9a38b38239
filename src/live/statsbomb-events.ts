import fs from 'node:fs';
import path from 'node:path';
import { TipsterError } from '../core/errors.js';
import { parseLiveEvent, type LiveEvent } from './live-event.js';

interface Named {
  readonly name?: unknown;
}
/** The fields of a StatsBomb open-data event we read; everything else is ignored. */
interface StatsBombEvent {
  readonly id?: unknown;
  readonly index?: unknown;
  readonly period?: unknown;
  readonly minute?: unknown;
  readonly second?: unknown;
  readonly type?: Named;
  readonly team?: Named;
  readonly player?: Named;
  readonly location?: unknown;
  readonly shot?: { readonly outcome?: Named; readonly statsbomb_xg?: unknown; readonly body_part?: Named; readonly type?: Named };
  readonly pass?: { readonly type?: Named };
  readonly foul_committed?: { readonly card?: Named };
  readonly bad_behaviour?: { readonly card?: Named };
  readonly substitution?: { readonly replacement?: Named };
}

/** A StatsBomb match as live events, with the teams and the final score its events record. */
export interface StatsBombMatch {
  readonly matchId: string;
  readonly homeTeam: string;
  readonly awayTeam: string;
  readonly events: readonly LiveEvent[];
  readonly finalScore: { readonly home: number; readonly away: number };
}

function nameOf(value: Named | undefined): string | undefined {
  return typeof value?.name === 'string' ? value.name : undefined;
}

/**
 * Maps StatsBomb events (one match, in file order) to live events. The home team is the team of
 * the first `Starting XI` event (StatsBomb lists the home side first). A `Match End` event is
 * appended one second after the last event, since StatsBomb marks the end only with `Half End`.
 */
export function fromStatsBombEvents(raw: unknown, matchId: string, where: string): StatsBombMatch {
  if (!Array.isArray(raw) || raw.length === 0) throw new TipsterError('TIPSTER_ERR_LIVE_REPLAY_FILE_INVALID', { file: where, reason: 'expected a non-empty JSON array of events' });
  const events = raw as StatsBombEvent[];
  const teams = events.filter((e) => nameOf(e.type) === 'Starting XI').map((e) => nameOf(e.team));
  const homeTeam = teams[0];
  const awayTeam = teams.find((t) => t !== homeTeam);
  if (homeTeam === undefined || awayTeam === undefined) {
    throw new TipsterError('TIPSTER_ERR_LIVE_REPLAY_FILE_INVALID', { file: where, reason: 'it has no Starting XI events for two teams' });
  }
  const sorted = [...events].sort((a, b) => Number(a.index) - Number(b.index));
  const out: LiveEvent[] = [];
  let home = 0;
  let away = 0;
  for (const e of sorted) {
    const type = nameOf(e.type);
    const team = nameOf(e.team);
    const card = nameOf(e.foul_committed?.card) ?? nameOf(e.bad_behaviour?.card);
    const candidate: Record<string, unknown> = {
      matchId,
      homeTeam,
      awayTeam,
      id: e.id,
      index: e.index,
      period: e.period,
      minute: e.minute,
      second: e.second,
      type,
      team,
    };
    const player = nameOf(e.player);
    if (player !== undefined) candidate.player = player;
    if (Array.isArray(e.location) && e.location.length >= 2) {
      // StatsBomb rounds to the pitch edge but a few locations sit a hair outside it.
      candidate.location = [Math.min(120, Math.max(0, Number(e.location[0]))), Math.min(80, Math.max(0, Number(e.location[1])))];
    }
    if (type === 'Shot') {
      const shot: Record<string, unknown> = { outcome: nameOf(e.shot?.outcome), xg: e.shot?.statsbomb_xg };
      const bodyPart = nameOf(e.shot?.body_part);
      const kind = nameOf(e.shot?.type);
      if (bodyPart !== undefined) shot.bodyPart = bodyPart;
      if (kind !== undefined) shot.kind = kind;
      candidate.shot = shot;
      if (shot.outcome === 'Goal') team === homeTeam ? home++ : away++;
    }
    if (type === 'Own Goal For') team === homeTeam ? home++ : away++;
    if (type === 'Pass' && nameOf(e.pass?.type) === 'Corner') candidate.corner = true;
    if (card !== undefined && (type === 'Foul Committed' || type === 'Bad Behaviour')) candidate.card = card;
    if (type === 'Substitution') candidate.substitution = { replacement: nameOf(e.substitution?.replacement) };
    out.push(parseLiveEvent(candidate, `${where} event ${String(e.index)}`));
  }
  const last = out[out.length - 1]!;
  const endClock = last.minute * 60 + last.second + 1;
  out.push({
    matchId,
    homeTeam,
    awayTeam,
    id: `${matchId}-end`,
    index: last.index + 1,
    period: last.period,
    minute: Math.floor(endClock / 60),
    second: endClock % 60,
    type: 'Match End',
    team: homeTeam,
  });
  return { matchId, homeTeam, awayTeam, events: out, finalScore: { home, away } };
}

/** Reads a StatsBomb open-data `events/<match_id>.json`; the match id becomes `sb-<match_id>`. */
export function readStatsBombEventFile(file: string): StatsBombMatch {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : `it cannot be read as JSON (${(error as Error).message})`;
    throw new TipsterError('TIPSTER_ERR_LIVE_REPLAY_FILE_INVALID', { file, reason });
  }
  const base = path.basename(file, '.json').replace(/[^A-Za-z0-9._-]/g, '_');
  return fromStatsBombEvents(raw, `sb-${base}`, file);
}
