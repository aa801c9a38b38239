import type { Logger } from 'pino';
import { silentLogger } from '../core/logger.js';
import type { Store } from '../store/store.js';
import { InPlayModel, type InPlayProbability, type PreMatchRates } from './in-play-model.js';
import type { LiveBus, LiveSubscription } from './live-bus.js';
import { elapsedSeconds, type LiveEvent } from './live-event.js';
import { applyLiveEvent, newLiveMatchState, type LiveMatchState, type TimelineEntry } from './live-match-state.js';
import { getStoredLiveMatch, listStoredLiveMatches, saveLiveBatch, type LiveBatchWrite, type ProbabilityPoint, type StoredLiveMatch } from './live-match-repository.js';

/** Gives the pre-match expected goals for a pairing (production model, odds, or a league average). */
export type PreMatchRateProvider = (homeTeam: string, awayTeam: string) => Promise<PreMatchRates>;

/** Average top-flight goals when no model knows the teams. */
export const LEAGUE_AVERAGE_RATES: PreMatchRates = Object.freeze({ homeGoals: 1.5, awayGoals: 1.2, modelVersion: 'league-average' });

/** What subscribers (SSE hub, CLI) receive after each applied event. */
export interface LiveUpdate {
  readonly matchId: string;
  readonly event: LiveEvent;
  readonly state: LiveMatchState;
  readonly probability: InPlayProbability;
  /** The event added a key moment (goal, card, substitution, half start/end, end). */
  readonly key: boolean;
  /** The key moment this event added, if any. */
  readonly moment?: TimelineEntry;
  /** Score and clock right after this event (`state` is the match's live object and moves on). */
  readonly score: { readonly home: number; readonly away: number };
  readonly minute: number;
}

export interface LiveCentreOptions {
  readonly bus: LiveBus;
  /** Where state is persisted; without one the centre keeps state in memory only (benchmarks). */
  readonly store?: Store;
  readonly rates?: PreMatchRateProvider;
  readonly model?: InPlayModel;
  /** Durable consumer name (default `tipster-live`). */
  readonly consumer?: string;
  readonly logger?: Logger;
  readonly now?: () => number;
  /** Finished matches stay in the "recent" list this long (default 6 hours). */
  readonly recentMs?: number;
  readonly maxBatch?: number;
  /**
   * A match whose next event is missing (an index skipped) waits this long for it to be redelivered
   * before the jump is accepted (default 30 s, three NATS ack-wait periods).
   */
  readonly gapToleranceMs?: number;
  /**
   * Wall-clock period of the minute tick (default 0 = off; the API uses 1,000 ms): a live match that
   * has had no event for a while is repriced as its clock runs on (one match second per wall second
   * after its last event, stopping at the end of the half plus expected stoppage), so its
   * probabilities move every match minute even when the feed only sends key events.
   */
  readonly minuteTickMs?: number;
}

/** The centre's health, for readiness and status pages. */
export interface LiveCentreStats {
  /** Subscribed to the bus (false before start, after stop, or while the store is not migrated). */
  readonly consuming: boolean;
  readonly consumer: string;
  readonly appliedEvents: number;
  /** Wall clock of the last applied event, null before the first. */
  readonly lastEventAtMs: number | null;
  /** Applied time minus the producer's emittedAtMs, for the last event that carried one. */
  readonly lastEventLagMs: number | null;
  readonly liveMatches: number;
  /** Matches held in memory (live plus recently finished). */
  readonly trackedMatches: number;
}

/** A minute tick: the match clock ran on without events and the match was repriced. */
export interface LiveTick {
  readonly matchId: string;
  readonly period: number;
  /** The estimated match minute the probability is for. */
  readonly minute: number;
  /** Index of the match's last applied event (unchanged by a tick). */
  readonly lastIndex: number;
  readonly score: { readonly home: number; readonly away: number };
  readonly probability: InPlayProbability;
}

/** Thrown after a batch that skipped events waiting for a missing earlier one, so the bus delivers them again. */
export class LiveGapError extends Error {
  constructor(readonly matchId: string, readonly expectedIndex: number) {
    super(`match ${matchId}: waiting for event ${expectedIndex}; later events will be delivered again`);
    this.name = 'LiveGapError';
  }
}

interface TrackedMatch {
  state: LiveMatchState;
  rates: PreMatchRates;
  probability: InPlayProbability;
  startedAtMs: number;
  updatedAtMs: number;
  /** Events applied by this centre when the match was last updated: orders updates within one millisecond. */
  updateSeq: number;
  finishedAtMs: number | null;
  /** Match minute of the last history point. */
  lastPointMinute: number;
  /** When the match started waiting for a missing event (0 = no gap). */
  gapSinceMs: number;
  /** Wall clock of the last applied event (the minute tick runs the match clock on from here). */
  lastEventAtMs: number;
  /** Minute-tick points of this match (in memory only, at most one per minute, the last 200). */
  ticks: TickPoint[];
}

/** A history point the minute tick added. */
export type TickPoint = ProbabilityPoint;

/**
 * The live match centre's processor: a durable bus consumer that applies events to each match's
 * state, prices the match with the in-play model after every event, tells subscribers, then persists
 * the batch in one transaction (state, events, probability history) before acknowledging it. Idempotent
 * by (match, index), so redeliveries and duplicates change nothing; a restarted centre reloads
 * state from the store and resumes from the bus's last acknowledged event.
 */
export class LiveCentre {
  readonly #bus: LiveBus;
  readonly #store: Store | undefined;
  readonly #rates: PreMatchRateProvider;
  readonly #model: InPlayModel;
  readonly #consumer: string;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #recentMs: number;
  readonly #maxBatch: number;
  readonly #gapToleranceMs: number;
  readonly #matches = new Map<string, TrackedMatch>();
  readonly #listeners = new Set<(updates: readonly LiveUpdate[]) => void>();
  readonly #tickListeners = new Set<(ticks: readonly LiveTick[]) => void>();
  readonly #minuteTickMs: number;
  #ticker: NodeJS.Timeout | undefined;
  #subscription: LiveSubscription | undefined;
  #applied = 0;
  #lastEventAtMs: number | null = null;
  #lastLagMs: number | null = null;

  constructor(options: LiveCentreOptions) {
    this.#bus = options.bus;
    this.#store = options.store;
    this.#rates = options.rates ?? (async () => LEAGUE_AVERAGE_RATES);
    this.#model = options.model ?? new InPlayModel();
    this.#consumer = options.consumer ?? 'tipster-live';
    this.#logger = options.logger ?? silentLogger();
    this.#now = options.now ?? Date.now;
    this.#recentMs = options.recentMs ?? 6 * 3_600_000;
    this.#maxBatch = options.maxBatch ?? 500;
    this.#gapToleranceMs = options.gapToleranceMs ?? 30_000;
    this.#minuteTickMs = options.minuteTickMs ?? 0;
  }

  /** The in-play model this centre prices with (resumed SSE streams reprice replayed events with it). */
  get model(): InPlayModel {
    return this.#model;
  }

  get bus(): LiveBus {
    return this.#bus;
  }

  /** Events applied by this centre since it started (duplicates excluded). */
  get appliedEvents(): number {
    return this.#applied;
  }

  /** What /readyz and /api/v1/status report: consuming or not, and how fresh the last event is. */
  stats(): LiveCentreStats {
    let live = 0;
    for (const m of this.#matches.values()) if (m.state.status === 'live') live++;
    return {
      consuming: this.#subscription !== undefined,
      consumer: this.#consumer,
      appliedEvents: this.#applied,
      lastEventAtMs: this.#lastEventAtMs,
      lastEventLagMs: this.#lastLagMs,
      liveMatches: live,
      trackedMatches: this.#matches.size,
    };
  }

  /** Loads live and recent matches from the store and starts consuming. */
  async start(): Promise<void> {
    if (this.#subscription) return;
    if (this.#store) {
      for (const stored of await listStoredLiveMatches(this.#store.db, this.#now() - this.#recentMs)) this.#track(stored);
    }
    this.#subscription = await this.#bus.subscribe(this.#consumer, (events) => this.#handle(events), {
      maxBatch: this.#maxBatch,
      onError: (error) =>
        error instanceof LiveGapError
          ? this.#logger.debug({ matchId: error.matchId, expectedIndex: error.expectedIndex }, 'live events out of order; waiting for redelivery')
          : this.#logger.error({ err: error }, 'live batch failed; it will be delivered again'),
    });
    if (this.#minuteTickMs > 0) {
      this.#ticker = setInterval(() => {
        this.tickMinutes();
        this.pruneFinished();
      }, this.#minuteTickMs);
      this.#ticker.unref();
    }
  }

  /** Stops consuming (the bus keeps unacknowledged events for the next start); the bus stays open. */
  async stop(): Promise<void> {
    const subscription = this.#subscription;
    this.#subscription = undefined;
    clearInterval(this.#ticker);
    this.#ticker = undefined;
    await subscription?.stop();
  }

  /**
   * Calls `listener` with each batch's updates as soon as they are applied (before the batch is
   * committed; a batch whose commit fails comes again with the same indexes); returns an unsubscribe function.
   */
  onUpdates(listener: (updates: readonly LiveUpdate[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Calls `listener` with the matches the minute tick repriced; returns an unsubscribe function. */
  onTicks(listener: (ticks: readonly LiveTick[]) => void): () => void {
    this.#tickListeners.add(listener);
    return () => this.#tickListeners.delete(listener);
  }

  /**
   * Reprices every live match whose estimated clock (last event's clock plus the wall time since, at
   * one match second per second, capped at the end of the half plus expected stoppage) has entered a
   * minute with no history point yet. Runs on the minute tick; tests call it directly.
   */
  tickMinutes(): LiveTick[] {
    const nowMs = this.#now();
    const ticks: LiveTick[] = [];
    for (const m of this.#matches.values()) {
      const s = m.state;
      if (s.status !== 'live' || s.halfTime || s.period > 2 || s.eventCount === 0) continue;
      const capSeconds = s.period === 1 ? 47 * 60 : 95 * 60;
      const clockSeconds = Math.min(s.minute * 60 + s.second + Math.max(0, nowMs - m.lastEventAtMs) / 1000, Math.max(capSeconds, s.minute * 60 + s.second));
      const minute = Math.floor(clockSeconds / 60);
      if (minute <= m.lastPointMinute) continue;
      m.lastPointMinute = minute;
      m.probability = this.#model.predict(m.rates, { ...situationOf(s), elapsedSeconds: minute * 60 });
      const point: TickPoint = { ...pointOf(m, s.lastIndex), minute, second: 0 };
      m.ticks.push(point);
      if (m.ticks.length > 200) m.ticks.shift();
      ticks.push({ matchId: s.matchId, period: s.period, minute, lastIndex: s.lastIndex, score: { home: s.home.goals, away: s.away.goals }, probability: m.probability });
    }
    if (ticks.length > 0) {
      for (const listener of this.#tickListeners) {
        try {
          listener(ticks);
        } catch (error) {
          this.#logger.error({ err: error }, 'live tick listener failed');
        }
      }
    }
    return ticks;
  }

  /** A match's minute-tick points (in memory only: a restarted process keeps the event-driven history). */
  tickPoints(matchId: string): readonly TickPoint[] {
    return this.#matches.get(matchId)?.ticks ?? [];
  }

  /**
   * Live matches and those finished within `recentMs` (at most the centre's window), most recently
   * updated first, at most `limit` of them (default: all).
   */
  listMatches(options: { readonly limit?: number; readonly recentMs?: number } = {}): StoredLiveMatch[] {
    const cutoff = this.#now() - Math.min(options.recentMs ?? this.#recentMs, this.#recentMs);
    return [...this.#matches.values()]
      .filter((m) => m.state.status === 'live' || m.updatedAtMs >= cutoff)
      .sort((a, b) => b.updatedAtMs - a.updatedAtMs || b.updateSeq - a.updateSeq)
      .slice(0, options.limit ?? Number.POSITIVE_INFINITY)
      .map((m) => this.#snapshot(m));
  }

  /**
   * Forgets finished matches older than the recent window (they stay in the store; a late event
   * reloads one), so a process that runs the demo for days keeps a bounded set in memory.
   */
  pruneFinished(): number {
    const cutoff = this.#now() - this.#recentMs;
    let pruned = 0;
    for (const [matchId, m] of this.#matches) {
      if (m.state.status === 'finished' && m.updatedAtMs < cutoff) {
        this.#matches.delete(matchId);
        pruned++;
      }
    }
    return pruned;
  }

  /** One match known to this process, or undefined. */
  getMatch(matchId: string): StoredLiveMatch | undefined {
    const m = this.#matches.get(matchId);
    return m ? this.#snapshot(m) : undefined;
  }

  #snapshot(m: TrackedMatch): StoredLiveMatch {
    return { state: structuredClone(m.state), rates: m.rates, probability: m.probability, startedAtMs: m.startedAtMs, updatedAtMs: m.updatedAtMs, finishedAtMs: m.finishedAtMs };
  }

  #persisted(m: TrackedMatch): StoredLiveMatch {
    return { state: m.state, rates: m.rates, probability: m.probability, startedAtMs: m.startedAtMs, updatedAtMs: m.updatedAtMs, finishedAtMs: m.finishedAtMs };
  }

  #track(stored: StoredLiveMatch): TrackedMatch {
    const tracked: TrackedMatch = { ...stored, state: stored.state, updateSeq: 0, lastPointMinute: stored.state.minute, gapSinceMs: 0, lastEventAtMs: stored.updatedAtMs, ticks: [] };
    this.#matches.set(stored.state.matchId, tracked);
    return tracked;
  }

  async #matchFor(event: LiveEvent): Promise<TrackedMatch> {
    const known = this.#matches.get(event.matchId);
    if (known) return known;
    const stored = this.#store ? await getStoredLiveMatch(this.#store.db, event.matchId) : undefined;
    if (stored) return this.#track(stored);
    let rates: PreMatchRates;
    try {
      rates = await this.#rates(event.homeTeam, event.awayTeam);
    } catch (error) {
      this.#logger.warn({ err: error, matchId: event.matchId }, 'no pre-match rates; using league averages');
      rates = LEAGUE_AVERAGE_RATES;
    }
    const state = newLiveMatchState(event.matchId, event.homeTeam, event.awayTeam);
    const nowMs = this.#now();
    const tracked: TrackedMatch = { state, rates, probability: this.#model.predict(rates, situationOf(state)), startedAtMs: nowMs, updatedAtMs: nowMs, updateSeq: this.#applied, finishedAtMs: null, lastPointMinute: -1, gapSinceMs: 0, lastEventAtMs: nowMs, ticks: [] };
    this.#matches.set(event.matchId, tracked);
    return tracked;
  }

  async #handle(events: readonly LiveEvent[]): Promise<void> {
    const nowMs = this.#now();
    const dirty = new Set<TrackedMatch>();
    const write: { events: LiveBatchWrite['events'][number][]; points: (ProbabilityPoint & { matchId: string })[] } = { events: [], points: [] };
    const updates: LiveUpdate[] = [];
    let gap: LiveGapError | undefined;
    for (const event of events) {
      const match = await this.#matchFor(event);
      if (event.index > match.state.lastIndex + 1 && match.state.status === 'live') {
        // An earlier event is missing (a redelivery overtaken by newer events): wait for it, unless it is
        // overdue, in which case the feed skipped it and the match goes on without it.
        if (match.gapSinceMs === 0) match.gapSinceMs = nowMs;
        if (nowMs - match.gapSinceMs < this.#gapToleranceMs) {
          gap ??= new LiveGapError(event.matchId, match.state.lastIndex + 1);
          continue;
        }
        this.#logger.warn({ matchId: event.matchId, expectedIndex: match.state.lastIndex + 1, index: event.index }, 'live events skipped by the feed');
      }
      const result = applyLiveEvent(match.state, event);
      if (!result.applied) continue;
      match.gapSinceMs = 0;
      this.#applied++;
      match.probability = this.#model.predict(match.rates, situationOf(match.state));
      match.updatedAtMs = nowMs;
      match.updateSeq = this.#applied;
      match.lastEventAtMs = nowMs;
      this.#lastEventAtMs = nowMs;
      if (event.emittedAtMs !== undefined) this.#lastLagMs = Math.max(0, nowMs - event.emittedAtMs);
      if (match.state.status === 'finished' && match.finishedAtMs === null) match.finishedAtMs = nowMs;
      dirty.add(match);
      write.events.push({ event, receivedAtMs: nowMs });
      // History: one point per match minute, plus every key moment.
      // (A minute the tick already priced gets no second point.)
      if (result.key || match.state.minute > match.lastPointMinute) {
        match.lastPointMinute = Math.max(match.lastPointMinute, match.state.minute);
        write.points.push(pointOf(match, event.index));
      }
      updates.push({
        matchId: event.matchId,
        event,
        state: match.state,
        probability: match.probability,
        key: result.key,
        ...(result.key ? { moment: match.state.timeline.at(-1)! } : {}),
        score: { home: match.state.home.goals, away: match.state.away.goals },
        minute: match.state.minute,
      });
    }
    if (dirty.size === 0) {
      if (gap) throw gap;
      return;
    }
    // Fan out first, persist second: clients do not wait for the commit. The batch is still acknowledged
    // only after the commit, so if it fails (or the process dies first) the bus delivers it again and
    // the re-applied events, from the stored state, are the same events with the same indexes and the
    // same prices; subscribers drop indexes they already have (see LiveSseHub.publish). Nothing is
    // delivered out of order: only events applied contiguously reach `updates`.
    for (const listener of this.#listeners) {
      try {
        listener(updates);
      } catch (error) {
        this.#logger.error({ err: error }, 'live update listener failed');
      }
    }
    if (this.#store) {
      try {
        // No clone: the bus hands over the next batch only after this one resolves, and the minute
        // tick does not touch `state`, so nothing moves while the rows are written.
        await saveLiveBatch(this.#store.db, { matches: [...dirty].map((m) => this.#persisted(m)), events: write.events, points: write.points });
      } catch (error) {
        // Forget what this batch did in memory: the redelivered batch re-applies it from the stored state.
        for (const m of dirty) this.#matches.delete(m.state.matchId);
        this.#applied -= updates.length;
        throw error;
      }
    }
    if (gap) throw gap;
  }
}

function pointOf(match: TrackedMatch, index: number): ProbabilityPoint & { matchId: string } {
  const p = match.probability;
  return {
    matchId: match.state.matchId,
    index,
    period: match.state.period,
    minute: match.state.minute,
    second: match.state.second,
    homeScore: match.state.home.goals,
    awayScore: match.state.away.goals,
    home: p.home,
    draw: p.draw,
    away: p.away,
    nextGoalHome: p.nextGoalHome,
    nextGoalNone: p.nextGoalNone,
    nextGoalAway: p.nextGoalAway,
    modelVersion: p.modelVersion,
  };
}

/** The in-play model's view of a match state. */
export function situationOf(state: LiveMatchState): Parameters<InPlayModel['predict']>[1] {
  return {
    elapsedSeconds: elapsedSeconds(state),
    period: state.period,
    homeScore: state.home.goals,
    awayScore: state.away.goals,
    homeRedCards: state.home.redCards,
    awayRedCards: state.away.redCards,
    homeXg: state.home.xg,
    awayXg: state.away.xg,
    halfTime: state.halfTime,
    finished: state.status === 'finished',
  };
}
