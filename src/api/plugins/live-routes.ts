import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { Counter, Gauge } from 'prom-client';
import { TipsterError } from '../../core/errors.js';
import { LiveCentre, type LiveCentreOptions } from '../../live/live-centre.js';
import { parseLiveEvent, type LiveEvent } from '../../live/live-event.js';
import { possessionShare, TIMELINE_KINDS } from '../../live/live-match-state.js';
import { getStoredLiveMatch, listProbabilityHistory, listStoredLiveEvents, type StoredLiveMatch } from '../../live/live-match-repository.js';
import { openLiveBus } from '../../live/open-live-bus.js';
import { productionModelRates } from '../../live/production-rates.js';
import type { CapabilityOptions } from '../capabilities.js';
import { definePlugin } from '../define-plugin.js';
import { liveEventsCounter } from './football-operations.js';
import { LiveSseHub, parseAllMatchesCursor, probabilityJson, replayFrames, snapshotFrame, type HeldFrame } from './live-sse-hub.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The live match centre of this process (consumes the bus, prices matches, feeds SSE). */
    live: LiveCentre;
  }
}

/** Test and benchmark knobs for the live capability (production uses the defaults). */
export interface LiveRoutesOptions {
  /** Per-client SSE buffer bound in bytes (default 1 MiB). */
  readonly sseMaxBufferedBytes?: number;
  readonly sseHeartbeatMs?: number;
  /** Extra LiveCentre options (e.g. a bus opened by the caller, which then also closes it). */
  readonly centre?: Partial<LiveCentreOptions>;
}

const liveOptions = new WeakMap<object, LiveRoutesOptions>();

/** Sets the live capability's options for apps built with `config` (tests and benchmarks). */
export function setLiveRoutesOptions(config: object, options: LiveRoutesOptions): void {
  liveOptions.set(config, options);
}

const MATCH_ID = { type: 'string', pattern: '^[A-Za-z0-9._-]{1,64}$' } as const;
const MATCH_PARAMS = { type: 'object', required: ['matchId'], properties: { matchId: MATCH_ID } } as const;
const SCORE = { type: 'object', required: ['home', 'away'], properties: { home: { type: 'integer' }, away: { type: 'integer' } } } as const;
const PROBABILITY = {
  type: 'object',
  required: ['home', 'draw', 'away', 'nextGoalHome', 'nextGoalNone', 'nextGoalAway', 'modelVersion'],
  properties: {
    home: { type: 'number' },
    draw: { type: 'number' },
    away: { type: 'number' },
    nextGoalHome: { type: 'number' },
    nextGoalNone: { type: 'number' },
    nextGoalAway: { type: 'number' },
    modelVersion: { type: 'string', description: '<pre-match model version>+inplay-<revision>' },
  },
} as const;
const SUMMARY_PROPS = {
  matchId: { type: 'string' },
  homeTeam: { type: 'string' },
  awayTeam: { type: 'string' },
  status: { type: 'string', enum: ['live', 'finished'] },
  period: { type: 'integer' },
  minute: { type: 'integer' },
  second: { type: 'integer' },
  lastIndex: { type: 'integer', description: 'Index of the last applied event (the per-match stream id)' },
  score: SCORE,
  probability: PROBABILITY,
  startedAt: { type: 'string', format: 'date-time' },
  updatedAt: { type: 'string', format: 'date-time' },
  finishedAt: { type: ['string', 'null'], format: 'date-time' },
} as const;
const SUMMARY = { type: 'object', required: Object.keys(SUMMARY_PROPS), properties: SUMMARY_PROPS } as const;
const TEAM_STATS = {
  type: 'object',
  required: ['goals', 'shots', 'shotsOnTarget', 'xg', 'corners', 'yellowCards', 'redCards', 'substitutions'],
  properties: Object.fromEntries(['goals', 'shots', 'shotsOnTarget', 'xg', 'corners', 'yellowCards', 'redCards', 'substitutions'].map((k) => [k, { type: 'number' }])),
} as const;
const TIMELINE_ENTRY = {
  type: 'object',
  required: ['index', 'eventId', 'kind', 'period', 'minute', 'second', 'team'],
  properties: {
    index: { type: 'integer' },
    eventId: { type: 'string' },
    kind: { type: 'string', enum: [...TIMELINE_KINDS] },
    period: { type: 'integer' },
    minute: { type: 'integer' },
    second: { type: 'integer' },
    team: { type: 'string' },
    player: { type: 'string' },
    detail: { type: 'string' },
  },
} as const;
const POINT = {
  type: 'object',
  required: ['index', 'period', 'minute', 'second', 'score', 'home', 'draw', 'away', 'nextGoalHome', 'nextGoalNone', 'nextGoalAway', 'modelVersion', 'source'],
  properties: {
    index: { type: 'integer' },
    period: { type: 'integer' },
    minute: { type: 'integer' },
    second: { type: 'integer' },
    score: SCORE,
    home: { type: 'number' },
    draw: { type: 'number' },
    away: { type: 'number' },
    nextGoalHome: { type: 'number' },
    nextGoalNone: { type: 'number' },
    nextGoalAway: { type: 'number' },
    modelVersion: { type: 'string' },
    source: { type: 'string', enum: ['event', 'minute'], description: 'event: after an event (stored); minute: the minute tick of this process' },
  },
} as const;
const STREAM_RESPONSE = { 200: { type: 'string', description: 'text/event-stream (see docs/live-events.md: frames, ids, resume, limits)' } } as const;
const MAX_INGEST_EVENTS = 1_000;
/** `/live/matches` page size: the demo alone finishes a match every ~30 s, hundreds over a day. */
const LIST_DEFAULT = 50;
const LIST_MAX = 200;
/** How far back `/live/matches` looks for finished matches by default (the centre keeps 6 hours). */
const RECENT_DEFAULT_MINUTES = 120;
const RECENT_MAX_MINUTES = 360;

const iso = (ms: number) => new Date(ms).toISOString();

function summaryJson(m: StoredLiveMatch) {
  const s = m.state;
  return {
    matchId: s.matchId,
    homeTeam: s.homeTeam,
    awayTeam: s.awayTeam,
    status: s.status,
    period: s.period,
    minute: s.minute,
    second: s.second,
    lastIndex: s.lastIndex,
    score: { home: s.home.goals, away: s.away.goals },
    probability: probabilityJson(m.probability),
    startedAt: iso(m.startedAtMs),
    updatedAt: iso(m.updatedAtMs),
    finishedAt: m.finishedAtMs === null ? null : iso(m.finishedAtMs),
  };
}

function requireEventStream(accept: string | undefined): void {
  if (!accept || !accept.includes('text/event-stream')) throw new TipsterError('TIPSTER_ERR_LIVE_STREAM_NOT_ACCEPTABLE');
}

/** A durable consumer per host: every API process needs every event for its own SSE clients. */
function consumerName(): string {
  return `tipster-live-api-${hostname().replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 60)}`;
}

/**
 * /api/v1/live: the live match centre. Builds a LiveCentre on the store and TIPSTER_BUS_URL's bus
 * (as `app.live`, stopped on close), serves live and recent matches, state, timeline and probability
 * history (REST), server-sent-event streams per match and for all matches (resumable with
 * Last-Event-ID, bounded per client), and an authenticated, idempotent ingest for external feeds.
 */
export const liveRoutesPlugin = definePlugin<CapabilityOptions>(
  { name: 'tipster-live-routes', dependencies: ['tipster-access-control', 'tipster-metrics', 'tipster-health', 'tipster-status'], shared: true },
  async (app, options) => {
    const { store, config } = app.tipster;
    const tuning = liveOptions.get(config) ?? {};
    const ownBus = tuning.centre?.bus === undefined;
    const bus = tuning.centre?.bus ?? (await openLiveBus(config.busUrl));
    const centre = new LiveCentre({
      store,
      rates: productionModelRates(store),
      consumer: consumerName(),
      // The API's logger is pino underneath (buildApp passes a pino child).
      logger: app.log.child({ component: 'live' }) as unknown as Logger,
      minuteTickMs: 1_000,
      ...tuning.centre,
      bus,
    });
    const applied = liveEventsCounter(app);
    const ingested = new Counter({ name: 'tipster_live_ingested_events_total', help: 'Events received by POST /api/v1/live/events, by result', labelNames: ['result'] as const, registers: [app.metrics.registry] });
    const disconnects = new Counter({ name: 'tipster_live_sse_disconnects_total', help: 'SSE streams ended by the server, by reason (overflow: the client fell too far behind)', labelNames: ['reason'] as const, registers: [app.metrics.registry] });
    const hub = new LiveSseHub({
      ...(tuning.sseMaxBufferedBytes !== undefined ? { maxBufferedBytes: tuning.sseMaxBufferedBytes } : {}),
      ...(tuning.sseHeartbeatMs !== undefined ? { heartbeatMs: tuning.sseHeartbeatMs } : {}),
      ...(tuning.centre?.now ? { now: tuning.centre.now } : {}),
      onDisconnect: (reason) => disconnects.inc({ reason }),
    });
    new Gauge({ name: 'tipster_live_sse_clients', help: 'Connected live SSE clients', registers: [app.metrics.registry], collect() { this.set(hub.size); } });
    centre.onUpdates((updates) => {
      for (const u of updates) applied.inc({ type: u.event.type });
      hub.publish(updates);
    });
    centre.onTicks((ticks) => hub.publishTicks(ticks));
    app.decorate('live', centre);
    app.readiness.addCheck('live', async () => {
      if (!bus.connected) throw new TipsterError('TIPSTER_ERR_LIVE_BUS_UNREACHABLE', { target: bus.target, reason: 'the connection is down (reconnecting)' });
      if (!centre.stats().consuming) throw new TipsterError('TIPSTER_ERR_LIVE_BUS_UNREACHABLE', { target: bus.target, reason: 'the live centre is not consuming yet (it retries every 5 s; see the logs)' });
    });
    app.statusSections.addSection('live', async () => {
      const stats = centre.stats();
      return {
        ok: bus.connected && stats.consuming,
        bus: { kind: bus.kind, target: bus.target, connected: bus.connected },
        consumer: stats.consumer,
        consuming: stats.consuming,
        appliedEvents: stats.appliedEvents,
        lastEventAt: stats.lastEventAtMs === null ? null : iso(stats.lastEventAtMs),
        // Producer stamp to applied, for the last event stamped with emittedAtMs: the consumer's lag.
        lastEventLagMs: stats.lastEventLagMs,
        liveMatches: stats.liveMatches,
        trackedMatches: stats.trackedMatches,
        sseClients: hub.size,
      };
    });
    // The API also starts on a store that is not migrated yet (/readyz says so): the centre then
    // retries every few seconds instead of failing the whole app.
    let retry: NodeJS.Timeout | undefined;
    let closing = false;
    const startCentre = async (): Promise<void> => {
      try {
        await centre.start();
        hub.seed(centre.listMatches());
      } catch (error) {
        if (closing) return;
        app.log.warn({ err: error }, 'live centre could not start; retrying in 5 s');
        retry = setTimeout(() => void startCentre(), 5_000);
        retry.unref();
      }
    };
    app.addHook('onReady', startCentre);
    // Streams first, so the server's close does not wait for clients that never hang up.
    app.addHook('preClose', async () => hub.closeAll());
    app.addHook('onClose', async () => {
      closing = true;
      clearTimeout(retry);
      await centre.stop();
      if (ownBus) await bus.close();
    });

    const findMatch = async (matchId: string): Promise<StoredLiveMatch> => {
      const match = centre.getMatch(matchId) ?? (await getStoredLiveMatch(store.db, matchId));
      if (!match) throw new TipsterError('TIPSTER_ERR_LIVE_MATCH_NOT_FOUND', { matchId });
      return match;
    };

    await app.register(
      async (scope) => {
        scope.get(
          '/live/matches',
          {
            config: { access: 'free' },
            schema: {
              tags: ['live'],
              summary: 'Live and recently finished matches (most recently updated first) with score and in-play probabilities',
              querystring: {
                type: 'object',
                additionalProperties: false,
                properties: {
                  limit: { type: 'integer', minimum: 1, maximum: LIST_MAX, default: LIST_DEFAULT, description: `At most this many matches (default ${LIST_DEFAULT}, max ${LIST_MAX})` },
                  recentMinutes: { type: 'integer', minimum: 0, maximum: RECENT_MAX_MINUTES, default: RECENT_DEFAULT_MINUTES, description: `Finished matches updated within this many minutes (default ${RECENT_DEFAULT_MINUTES}, max ${RECENT_MAX_MINUTES}); live matches always count` },
                },
              },
              response: { 200: { type: 'object', required: ['matches'], properties: { matches: { type: 'array', items: SUMMARY } } } },
            },
          },
          async (request) => {
            const { limit, recentMinutes } = request.query as { limit: number; recentMinutes: number };
            return { matches: centre.listMatches({ limit, recentMs: recentMinutes * 60_000 }).map(summaryJson) };
          },
        );

        scope.get<{ Params: { matchId: string } }>(
          '/live/matches/:matchId',
          {
            config: { access: 'free' },
            schema: {
              tags: ['live'],
              summary: "A match's live state: score, clock, stats per side, possession share, pre-match rates and in-play probabilities",
              params: MATCH_PARAMS,
              response: {
                200: {
                  type: 'object',
                  required: [...Object.keys(SUMMARY_PROPS), 'stats', 'possessionHome', 'preMatch', 'nextGoal'],
                  properties: {
                    ...SUMMARY_PROPS,
                    stats: { type: 'object', required: ['home', 'away'], properties: { home: TEAM_STATS, away: TEAM_STATS } },
                    possessionHome: { type: 'number', description: 'Home share of passes, carries and ball receipts (0-1)' },
                    preMatch: { type: 'object', required: ['homeGoals', 'awayGoals', 'modelVersion'], properties: { homeGoals: { type: 'number' }, awayGoals: { type: 'number' }, modelVersion: { type: 'string' } } },
                    nextGoal: { type: 'object', required: ['home', 'none', 'away'], properties: { home: { type: 'number' }, none: { type: 'number' }, away: { type: 'number' } } },
                  },
                },
              },
            },
          },
          async (request) => {
            const m = await findMatch(request.params.matchId);
            return {
              ...summaryJson(m),
              stats: { home: m.state.home, away: m.state.away },
              possessionHome: possessionShare(m.state),
              preMatch: m.rates,
              nextGoal: { home: m.probability.nextGoalHome, none: m.probability.nextGoalNone, away: m.probability.nextGoalAway },
            };
          },
        );

        scope.get<{ Params: { matchId: string } }>(
          '/live/matches/:matchId/timeline',
          {
            config: { access: 'free' },
            schema: { tags: ['live'], summary: "A match's key moments: goals, cards, substitutions, half and match ends", params: MATCH_PARAMS, response: { 200: { type: 'object', required: ['matchId', 'timeline'], properties: { matchId: { type: 'string' }, timeline: { type: 'array', items: TIMELINE_ENTRY } } } } },
          },
          async (request) => {
            const m = await findMatch(request.params.matchId);
            return { matchId: m.state.matchId, timeline: m.state.timeline };
          },
        );

        scope.get<{ Params: { matchId: string } }>(
          '/live/matches/:matchId/probabilities',
          {
            config: { access: 'premium' },
            schema: {
              tags: ['live'],
              summary: "A match's in-play probability history: a point per match minute and per key moment",
              params: MATCH_PARAMS,
              response: { 200: { type: 'object', required: ['matchId', 'points'], properties: { matchId: { type: 'string' }, points: { type: 'array', items: POINT } } } },
            },
          },
          async (request) => {
            const m = await findMatch(request.params.matchId);
            const stored = (await listProbabilityHistory(store.db, m.state.matchId)).map((p) => ({ ...p, source: 'event' as const }));
            const ticks = centre.tickPoints(m.state.matchId).map((p) => ({ ...p, source: 'minute' as const }));
            const points = [...stored, ...ticks]
              .sort((a, b) => a.period - b.period || a.minute * 60 + a.second - (b.minute * 60 + b.second) || a.index - b.index)
              .map(({ homeScore, awayScore, ...p }) => ({ ...p, score: { home: homeScore, away: awayScore } }));
            return { matchId: m.state.matchId, points };
          },
        );

        scope.get<{ Params: { matchId: string } }>(
          '/live/matches/:matchId/stream',
          {
            config: { access: 'free' },
            schema: { tags: ['live'], summary: "Server-sent events for one match: an update after every event (id = event index), minute ticks, heartbeats; resumes after Last-Event-ID", params: MATCH_PARAMS, response: STREAM_RESPONSE },
          },
          async (request, reply) => {
            requireEventStream(request.headers.accept);
            const match = await findMatch(request.params.matchId);
            const lastId = request.headers['last-event-id'];
            const afterIndex = typeof lastId === 'string' && /^\d{1,9}$/.test(lastId) ? Number(lastId) : undefined;
            reply.hijack();
            const client = hub.open(reply.raw, match.state.matchId);
            if (afterIndex === undefined) {
              const now = centre.getMatch(match.state.matchId) ?? match;
              await hub.resume(client, [{ matchId: now.state.matchId, index: now.state.lastIndex, text: snapshotFrame(now, String(now.state.lastIndex)) }]);
              return;
            }
            const events = await listStoredLiveEvents(store.db, match.state.matchId, 0);
            await hub.resume(client, replayFrames(events, match, centre.model, afterIndex, true));
          },
        );

        scope.get(
          '/live/stream',
          {
            config: { access: 'premium' },
            schema: { tags: ['live'], summary: 'Server-sent events for every live match (id = resume cursor, see docs/live-events.md); resumes after Last-Event-ID', response: STREAM_RESPONSE },
          },
          async (request, reply) => {
            requireEventStream(request.headers.accept);
            const lastId = request.headers['last-event-id'];
            const cursor = typeof lastId === 'string' ? parseAllMatchesCursor(lastId) : undefined;
            reply.hijack();
            const client = hub.open(reply.raw, null);
            const matches = centre.listMatches();
            if (!cursor) {
              await hub.resume(client, matches.filter((m) => m.state.status === 'live').map((m) => ({ matchId: m.state.matchId, index: m.state.lastIndex, text: snapshotFrame(m) })));
              return;
            }
            async function* replay(): AsyncGenerator<HeldFrame> {
              for (const m of matches) {
                if (m.updatedAtMs < cursor!.atMs) continue;
                const after = cursor!.indexes.get(m.state.matchId) ?? 0;
                if (after >= m.state.lastIndex) continue;
                yield* replayFrames(await listStoredLiveEvents(store.db, m.state.matchId, 0), m, centre.model, after, false);
              }
            }
            await hub.resume(client, replay());
          },
        );

        scope.post<{ Body: { events: unknown[] } }>(
          '/live/events',
          {
            config: { access: 'admin' },
            bodyLimit: 1_048_576,
            schema: {
              tags: ['live'],
              summary: `Ingest events from an external feed (1-${MAX_INGEST_EVENTS} per request, schema of docs/live-events.md); idempotent by event id`,
              body: { type: 'object', required: ['events'], additionalProperties: false, properties: { events: { type: 'array', minItems: 1, maxItems: MAX_INGEST_EVENTS, items: { type: 'object' } } } },
              response: {
                202: {
                  type: 'object',
                  required: ['received', 'accepted', 'duplicates'],
                  properties: {
                    received: { type: 'integer' },
                    accepted: { type: 'integer', description: 'Published on the bus (an id still in flight is dropped there by its dedupe)' },
                    duplicates: { type: 'integer', description: 'Ids already stored or repeated in the request: nothing changed' },
                  },
                },
              },
            },
          },
          async (request, reply) => {
            const events = request.body.events.map((e, i) => parseLiveEvent(e, `events[${i}]`));
            const fresh = await withoutKnownEvents(events);
            if (fresh.length > 0) await bus.publish(fresh);
            ingested.inc({ result: 'accepted' }, fresh.length);
            ingested.inc({ result: 'duplicate' }, events.length - fresh.length);
            return reply.code(202).send({ received: events.length, accepted: fresh.length, duplicates: events.length - fresh.length });
          },
        );
      },
      { prefix: typeof options.prefix === 'string' ? options.prefix : '' },
    );

    /** Drops events already stored (same id) or repeated; a stored index under another id is a conflict. */
    async function withoutKnownEvents(events: readonly LiveEvent[]): Promise<LiveEvent[]> {
      const byMatch = new Map<string, LiveEvent[]>();
      for (const e of events) {
        let list = byMatch.get(e.matchId);
        if (!list) byMatch.set(e.matchId, (list = []));
        list.push(e);
      }
      const fresh: LiveEvent[] = [];
      for (const [matchId, list] of byMatch) {
        const rows = await store.db
          .selectFrom('live_events')
          .select(['event_index', 'event_id'])
          .where('match_id', '=', matchId)
          .where((eb) => eb.or([eb('event_id', 'in', list.map((e) => e.id)), eb('event_index', 'in', list.map((e) => e.index))]))
          .execute();
        const idByIndex = new Map(rows.map((r) => [r.event_index, r.event_id]));
        const storedIds = new Set(rows.map((r) => r.event_id));
        const seen = new Map<number, string>();
        for (const e of list) {
          const existing = idByIndex.get(e.index) ?? seen.get(e.index);
          if (existing !== undefined && existing !== e.id) throw new TipsterError('TIPSTER_ERR_LIVE_EVENT_CONFLICT', { index: e.index, matchId, existing, id: e.id });
          if (storedIds.has(e.id) || seen.has(e.index)) continue;
          seen.set(e.index, e.id);
          fresh.push(e);
        }
      }
      return fresh;
    }
  },
);
