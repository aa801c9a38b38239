import type { Kysely } from 'kysely';
import type { Database } from '../store/database-schema.js';
import type { InPlayProbability, PreMatchRates } from './in-play-model.js';
import type { LiveEvent } from './live-event.js';
import type { LiveMatchState } from './live-match-state.js';

/** A match as stored: state, pre-match rates and latest probability. */
export interface StoredLiveMatch {
  readonly state: LiveMatchState;
  readonly rates: PreMatchRates;
  readonly probability: InPlayProbability;
  readonly startedAtMs: number;
  readonly updatedAtMs: number;
  readonly finishedAtMs: number | null;
}

/** One point of a match's probability history. */
export interface ProbabilityPoint {
  readonly index: number;
  readonly period: number;
  readonly minute: number;
  readonly second: number;
  readonly homeScore: number;
  readonly awayScore: number;
  readonly home: number;
  readonly draw: number;
  readonly away: number;
  readonly nextGoalHome: number;
  readonly nextGoalNone: number;
  readonly nextGoalAway: number;
  readonly modelVersion: string;
}

/** What one handled batch writes. */
export interface LiveBatchWrite {
  readonly matches: readonly StoredLiveMatch[];
  readonly events: readonly { readonly event: LiveEvent; readonly receivedAtMs: number }[];
  readonly points: readonly (ProbabilityPoint & { readonly matchId: string })[];
}

const CHUNK = 400;

/**
 * Writes a batch in one transaction. Match rows never move backwards (an older state, from a
 * redelivery or a second processor, does not overwrite a newer one) and events and points are
 * insert-if-absent, so writing the same batch twice changes nothing.
 */
export async function saveLiveBatch(db: Kysely<Database>, batch: LiveBatchWrite): Promise<void> {
  await db.transaction().execute(async (trx) => {
    // One statement for every match of the batch (a prepared statement per row costs more than the row).
    for (let i = 0; i < batch.matches.length; i += CHUNK) {
      const rows = batch.matches.slice(i, i + CHUNK).map((m) => ({
        match_id: m.state.matchId,
        home_team: m.state.homeTeam,
        away_team: m.state.awayTeam,
        status: m.state.status,
        last_index: m.state.lastIndex,
        pre_home_goals: m.rates.homeGoals,
        pre_away_goals: m.rates.awayGoals,
        model_version: m.rates.modelVersion,
        state_json: JSON.stringify(m.state),
        probability_json: JSON.stringify(m.probability),
        started_at_ms: m.startedAtMs,
        updated_at_ms: m.updatedAtMs,
        finished_at_ms: m.finishedAtMs,
      }));
      await trx
        .insertInto('live_matches')
        .values(rows)
        .onConflict((oc) =>
          oc
            .column('match_id')
            .doUpdateSet((eb) => ({
              status: eb.ref('excluded.status'),
              last_index: eb.ref('excluded.last_index'),
              state_json: eb.ref('excluded.state_json'),
              probability_json: eb.ref('excluded.probability_json'),
              updated_at_ms: eb.ref('excluded.updated_at_ms'),
              finished_at_ms: eb.ref('excluded.finished_at_ms'),
            }))
            .whereRef('live_matches.last_index', '<', 'excluded.last_index'),
        )
        .execute();
    }
    for (let i = 0; i < batch.events.length; i += CHUNK) {
      const rows = batch.events.slice(i, i + CHUNK).map(({ event, receivedAtMs }) => ({
        match_id: event.matchId,
        event_index: event.index,
        event_id: event.id,
        event_json: JSON.stringify(event),
        received_at_ms: receivedAtMs,
      }));
      await trx.insertInto('live_events').values(rows).onConflict((oc) => oc.doNothing()).execute();
    }
    for (let i = 0; i < batch.points.length; i += CHUNK) {
      const rows = batch.points.slice(i, i + CHUNK).map((p) => ({
        match_id: p.matchId,
        event_index: p.index,
        period: p.period,
        minute: p.minute,
        second: p.second,
        home_score: p.homeScore,
        away_score: p.awayScore,
        p_home: p.home,
        p_draw: p.draw,
        p_away: p.away,
        p_next_home: p.nextGoalHome,
        p_next_none: p.nextGoalNone,
        p_next_away: p.nextGoalAway,
        model_version: p.modelVersion,
      }));
      await trx.insertInto('live_probabilities').values(rows).onConflict((oc) => oc.doNothing()).execute();
    }
  });
}

type MatchRow = Database['live_matches'] extends infer T ? { [K in keyof T]: T[K] } : never;

function toStored(row: MatchRow): StoredLiveMatch {
  return {
    state: JSON.parse(row.state_json) as LiveMatchState,
    rates: { homeGoals: row.pre_home_goals, awayGoals: row.pre_away_goals, modelVersion: row.model_version },
    probability: JSON.parse(row.probability_json) as InPlayProbability,
    startedAtMs: Number(row.started_at_ms),
    updatedAtMs: Number(row.updated_at_ms),
    finishedAtMs: row.finished_at_ms === null ? null : Number(row.finished_at_ms),
  };
}

/** One stored match, or undefined. */
export async function getStoredLiveMatch(db: Kysely<Database>, matchId: string): Promise<StoredLiveMatch | undefined> {
  const row = await db.selectFrom('live_matches').selectAll().where('match_id', '=', matchId).executeTakeFirst();
  return row ? toStored(row as MatchRow) : undefined;
}

/** Live matches and those finished since `recentSinceMs`, most recently updated first. */
export async function listStoredLiveMatches(db: Kysely<Database>, recentSinceMs: number, limit = 200): Promise<StoredLiveMatch[]> {
  const rows = await db
    .selectFrom('live_matches')
    .selectAll()
    .where((eb) => eb.or([eb('status', '=', 'live'), eb('updated_at_ms', '>=', recentSinceMs)]))
    .orderBy('updated_at_ms', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => toStored(r as MatchRow));
}

/** A match's events after `afterIndex`, in order. */
export async function listStoredLiveEvents(db: Kysely<Database>, matchId: string, afterIndex: number, limit = 10_000): Promise<LiveEvent[]> {
  const rows = await db
    .selectFrom('live_events')
    .select('event_json')
    .where('match_id', '=', matchId)
    .where('event_index', '>', afterIndex)
    .orderBy('event_index')
    .limit(limit)
    .execute();
  return rows.map((r) => JSON.parse(r.event_json) as LiveEvent);
}

/** A match's probability history, in order. */
export async function listProbabilityHistory(db: Kysely<Database>, matchId: string): Promise<ProbabilityPoint[]> {
  const rows = await db.selectFrom('live_probabilities').selectAll().where('match_id', '=', matchId).orderBy('event_index').execute();
  return rows.map((r) => ({
    index: r.event_index,
    period: r.period,
    minute: r.minute,
    second: r.second,
    homeScore: r.home_score,
    awayScore: r.away_score,
    home: r.p_home,
    draw: r.p_draw,
    away: r.p_away,
    nextGoalHome: r.p_next_home,
    nextGoalNone: r.p_next_none,
    nextGoalAway: r.p_next_away,
    modelVersion: r.model_version,
  }));
}
