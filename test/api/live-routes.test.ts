import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeEach, expect, it } from 'vitest';
import { buildApp } from '../../src/api/build-app.js';
import { setLiveRoutesOptions, type LiveRoutesOptions } from '../../src/api/plugins/live-routes.js';
import { loadConfig } from '../../src/core/config.js';
import type { LiveEvent } from '../../src/live/live-event.js';
import { simulateMatch } from '../../src/live/match-simulator.js';
import type { Store } from '../../src/store/store.js';
import { freshStore } from '../support/backends.js';
import { describePerBus, waitUntil, type BusUnderTest } from '../live/support/buses.js';
import { sqliteBackend } from '../live/support/sqlite-only.js';
import { bearer, FAST_HASH, problemOf, userWithRole, type SessionJson } from './support/test-app.js';

interface LiveTestApp {
  readonly app: FastifyInstance;
  readonly store: Store;
  close(): Promise<void>;
}

/** Wall time plus an offset the minute-tick test moves on. */
let clockOffsetMs = 0;
const liveNow = () => Date.now() + clockOffsetMs;

async function startLiveApp(buses: BusUnderTest, streamKey: string, live: Omit<LiveRoutesOptions, 'centre'> = {}): Promise<LiveTestApp> {
  const backend = sqliteBackend();
  const store = await freshStore(backend);
  const varDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tipster-live-api-'));
  const config = loadConfig({ TIPSTER_VAR_DIR: varDir }, process.cwd());
  setLiveRoutesOptions(config, { ...live, centre: { bus: await buses.open(streamKey), consumer: `api-${streamKey}`, now: liveNow } });
  const app = await buildApp({ store, config, passwordHashCost: FAST_HASH, defaultMetrics: false, rateLimit: false, sessionCheckMs: 0 });
  return {
    app,
    store,
    close: async () => {
      await app.close();
      await store.close();
      fs.rmSync(varDir, { recursive: true, force: true });
    },
  };
}

const RATES = { homeGoals: 1.6, awayGoals: 1.1, modelVersion: 'test@1' };

function event(matchId: string, index: number, fields: Partial<LiveEvent> & Pick<LiveEvent, 'type'>): LiveEvent {
  return { matchId, homeTeam: 'Arsenal', awayTeam: 'Chelsea', id: `${matchId}-e${index}`, index, period: 1, minute: 0, second: 0, team: 'Arsenal', ...fields } as LiveEvent;
}

/** A minimal SSE reader over fetch: frames as {id, event, data}. */
interface SseFrame {
  id?: string;
  event: string;
  data: string;
}

function openStream(url: string, headers: Record<string, string>) {
  const controller = new AbortController();
  const frames: SseFrame[] = [];
  let lastId: string | undefined;
  let ended = false;
  let failed: unknown;
  const response = fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const done = (async () => {
    const res = await response;
    if (res.status !== 200) throw new Error(`stream answered ${res.status}: ${await res.text()}`);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done: finished } = await reader.read();
        if (finished) break;
        buffer += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const f: SseFrame = { event: 'message', data: '' };
          let hasData = false;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue;
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'id') lastId = f.id = value;
            else if (field === 'event') f.event = value;
            else if (field === 'data') {
              f.data += value;
              hasData = true;
            }
          }
          if (hasData) frames.push(f);
          // An id-only block (the all-matches cursor after a batch) moves the last event id too.
          else if (f.id !== undefined) frames.push({ ...f, event: 'cursor' });
        }
      }
    } catch (error) {
      failed = error;
    }
    ended = true;
  })();
  return {
    frames,
    get lastId() {
      return lastId;
    },
    get ended() {
      return ended;
    },
    get failed() {
      return failed;
    },
    updates: () => frames.filter((f) => f.event === 'update').map((f) => JSON.parse(f.data) as { matchId: string; index: number; score: { home: number; away: number } }),
    close: async () => {
      controller.abort();
      await done.catch(() => undefined);
    },
  };
}

describePerBus('live API', (buses) => {
  let t: LiveTestApp;
  let free: SessionJson;
  let premium: SessionJson;
  let admin: SessionJson;
  let streamKey = 0;
  beforeEach(async () => {
    t = await startLiveApp(buses, `api${++streamKey}`, { sseMaxBufferedBytes: 64 * 1024 });
    free = await userWithRole(t.app, 'free-fan', 'free');
    premium = await userWithRole(t.app, 'premium-fan', 'premium');
    admin = await userWithRole(t.app, 'feed-admin', 'admin');
  });
  afterEach(() => t.close());
  afterAll(() => buses.cleanup());

  const ingest = (events: readonly LiveEvent[], session = admin) => t.app.inject({ method: 'POST', url: '/api/v1/live/events', headers: bearer(session), payload: { events } });

  it('ingests batches idempotently by event id, moves probabilities the right way after a goal and a red card, and serves state, timeline and history by role', async () => {
    const m = 'feed-1';
    const kickoff = [event(m, 1, { type: 'Half Start' }), event(m, 2, { type: 'Pass', minute: 1 })];
    expect((await ingest(kickoff, free)).statusCode).toBe(403);
    expect((await ingest(kickoff)).json()).toEqual({ received: 2, accepted: 2, duplicates: 0 });
    await waitUntil(() => t.app.live.getMatch(m)?.state.lastIndex === 2, 'the kick-off is applied');
    const state = async () => (await t.app.inject({ url: `/api/v1/live/matches/${m}`, headers: bearer(free) })).json<{ probability: { home: number; away: number }; score: { home: number; away: number } }>();
    const before = await state();

    // The same batch again (a feed retrying) changes nothing; a reused index with another id is refused.
    expect((await ingest(kickoff)).json()).toEqual({ received: 2, accepted: 0, duplicates: 2 });
    const conflict = await ingest([{ ...kickoff[1]!, id: 'another-id' }]);
    expect(conflict.statusCode).toBe(409);
    expect(problemOf(conflict).code).toBe('TIPSTER_ERR_LIVE_EVENT_CONFLICT');
    const invalid = await ingest([{ ...kickoff[1]!, index: 3, id: 'x', minute: 999 }]);
    expect(problemOf(invalid).code).toBe('TIPSTER_ERR_LIVE_EVENT_INVALID');

    // Chelsea score at 20:00: Chelsea's chance rises, Arsenal's falls.
    const goal = event(m, 3, { type: 'Shot', team: 'Chelsea', minute: 20, shot: { outcome: 'Goal', xg: 0.3 } });
    expect((await ingest([goal, goal])).json()).toMatchObject({ accepted: 1, duplicates: 1 });
    await waitUntil(() => t.app.live.getMatch(m)?.state.lastIndex === 3, 'the goal is applied');
    const afterGoal = await state();
    expect(afterGoal.score).toEqual({ home: 0, away: 1 });
    expect(afterGoal.probability.away).toBeGreaterThan(before.probability.away + 0.15);
    expect(afterGoal.probability.home).toBeLessThan(before.probability.home - 0.15);

    // A Chelsea red card at 25:00 gives some of it back to Arsenal.
    await ingest([event(m, 4, { type: 'Foul Committed', team: 'Chelsea', minute: 25, card: 'Red Card' })]);
    await waitUntil(() => t.app.live.getMatch(m)?.state.lastIndex === 4, 'the red card is applied');
    const afterRed = await state();
    expect(afterRed.probability.home).toBeGreaterThan(afterGoal.probability.home);
    expect(afterRed.probability.away).toBeLessThan(afterGoal.probability.away);

    const list = await t.app.inject({ url: '/api/v1/live/matches', headers: bearer(free) });
    expect(list.json<{ matches: { matchId: string }[] }>().matches.map((x) => x.matchId)).toEqual([m]);
    const timeline = await t.app.inject({ url: `/api/v1/live/matches/${m}/timeline`, headers: bearer(free) });
    expect(timeline.json<{ timeline: { kind: string }[] }>().timeline.map((x) => x.kind)).toEqual(['half-start', 'goal', 'red-card']);
    expect((await t.app.inject({ url: `/api/v1/live/matches/${m}/probabilities`, headers: bearer(free) })).statusCode).toBe(403);
    const history = await t.app.inject({ url: `/api/v1/live/matches/${m}/probabilities`, headers: bearer(premium) });
    const points = history.json<{ points: { index: number; away: number }[] }>().points;
    expect(points.map((p) => p.index)).toEqual([1, 2, 3, 4]);
    expect(points[2]!.away).toBeGreaterThan(points[1]!.away);
    expect(problemOf(await t.app.inject({ url: '/api/v1/live/matches/nope', headers: bearer(free) })).code).toBe('TIPSTER_ERR_LIVE_MATCH_NOT_FOUND');
    // Without Accept: text/event-stream a stream route answers at once instead of hanging.
    expect(problemOf(await t.app.inject({ url: `/api/v1/live/matches/${m}/stream`, headers: bearer(free) })).code).toBe('TIPSTER_ERR_LIVE_STREAM_NOT_ACCEPTABLE');
    expect((await t.app.inject({ url: '/api/v1/live/stream', headers: { ...bearer(free), accept: 'text/event-stream' } })).statusCode).toBe(403);
  });

  it('bounds the recent list by limit and window, and reports the live centre on /readyz and /api/v1/status', async () => {
    // Three finished matches, then one still live an hour later.
    const finished = ['old-1', 'old-2', 'old-3'];
    for (const m of finished) await ingest([event(m, 1, { type: 'Half Start' }), event(m, 2, { type: 'Match End', period: 2, minute: 94 })]);
    await waitUntil(() => finished.every((m) => t.app.live.getMatch(m)?.state.status === 'finished'), 'the matches are finished');
    clockOffsetMs += 3_600_000;
    await ingest([event('now-1', 1, { type: 'Half Start', emittedAtMs: liveNow() })]);
    await waitUntil(() => t.app.live.getMatch('now-1') !== undefined, 'the live match is applied');
    const list = async (query: string) => (await t.app.inject({ url: `/api/v1/live/matches${query}`, headers: bearer(free) })).json<{ matches: { matchId: string }[] }>().matches.map((x) => x.matchId);
    expect(await list('')).toEqual(['now-1', 'old-3', 'old-2', 'old-1']);
    expect(await list('?limit=2')).toEqual(['now-1', 'old-3']);
    // The live match always counts; finished ones only within the window.
    expect(await list('?recentMinutes=30')).toEqual(['now-1']);
    expect((await t.app.inject({ url: '/api/v1/live/matches?limit=1000', headers: bearer(free) })).statusCode).toBe(400);
    // Past the centre's 6-hour window the finished matches leave memory (and the list); the store keeps them.
    clockOffsetMs += 6 * 3_600_000;
    expect(t.app.live.pruneFinished()).toBe(3);
    expect(await list('?recentMinutes=360')).toEqual(['now-1']);
    expect((await t.app.inject({ url: '/api/v1/live/matches/old-1', headers: bearer(free) })).statusCode).toBe(200);

    expect((await t.app.inject({ url: '/readyz' })).json()).toEqual({ status: 'ready' });
    const status = (await t.app.inject({ url: '/api/v1/status', headers: bearer(admin) })).json<{ live: Record<string, unknown> }>().live;
    expect(status).toMatchObject({ ok: true, bus: { kind: buses.name, connected: true }, consuming: true, appliedEvents: 7, liveMatches: 1, trackedMatches: 1 });
    expect(typeof status.lastEventAt).toBe('string');
    expect(status.lastEventLagMs).toBeGreaterThanOrEqual(0);
    // A stopped centre is not ready: readiness says which part is missing.
    await t.app.live.stop();
    const notReady = await t.app.inject({ url: '/readyz' });
    expect(notReady.statusCode).toBe(503);
    expect(problemOf(notReady).code).toBe('TIPSTER_ERR_LIVE_BUS_UNREACHABLE');
    clockOffsetMs = 0;
  });

  it('the minute tick reprices a quiet match every match minute', async () => {
    const m = 'quiet-1';
    await ingest([event(m, 1, { type: 'Half Start' }), event(m, 2, { type: 'Pass', minute: 10 })]);
    await waitUntil(() => t.app.live.getMatch(m)?.state.lastIndex === 2, 'the events are applied');
    const first = t.app.live.getMatch(m)!.probability;
    // A minute of wall time without events (the clock is moved on, then the tick runs).
    clockOffsetMs += 61_000;
    await waitUntil(() => t.app.live.tickMinutes().length > 0 || t.app.live.tickPoints(m).length > 0, 'the tick reprices the match');
    const ticked = t.app.live.getMatch(m)!.probability;
    expect(ticked.draw).toBeGreaterThan(first.draw);
    const history = await t.app.inject({ url: `/api/v1/live/matches/${m}/probabilities`, headers: bearer(premium) });
    expect(history.json<{ points: { source: string; minute: number }[] }>().points.at(-1)).toMatchObject({ source: 'minute', minute: 11 });
  });

  it('streams a match over SSE, resumes after Last-Event-ID without gaps, and a stalled client never delays the others', async () => {
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const matchId = 'sse-1';
    const events = simulateMatch({ matchId, homeTeam: 'Arsenal', awayTeam: 'Chelsea', rates: RATES, seed: 7 });
    const firstPart = events.slice(0, 300);
    await ingest(firstPart.slice(0, 1));
    await waitUntil(() => t.app.live.getMatch(matchId) !== undefined, 'the match exists');

    const fast = openStream(`${address}/api/v1/live/matches/${matchId}/stream`, bearer(free));
    const all = openStream(`${address}/api/v1/live/stream`, bearer(premium));
    // The stalled client: a raw socket that sends the request and never reads.
    const net = await import('node:net');
    const stalled = net.connect(Number(new URL(address).port), '127.0.0.1');
    stalled.pause();
    stalled.write(`GET /api/v1/live/matches/${matchId}/stream HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\nAuthorization: ${bearer(free).authorization}\r\n\r\n`);
    let stalledClosed = false;
    stalled.on('close', () => (stalledClosed = true));
    stalled.on('error', () => undefined);
    await waitUntil(() => fast.frames.some((f) => f.event === 'snapshot') && all.frames.length > 0, 'streams are open');

    for (let i = 1; i < firstPart.length; i += 100) await ingest(firstPart.slice(i, i + 100));
    await waitUntil(() => fast.lastId === '300', 'the fast client has event 300');
    await fast.close();

    // The rest of the match while the client is away, then a resume from 300.
    const rest = events.slice(300);
    for (let i = 0; i < rest.length; i += 500) await ingest(rest.slice(i, i + 500));
    await waitUntil(() => t.app.live.getMatch(matchId)?.state.status === 'finished', 'the match finishes');
    const resumed = openStream(`${address}/api/v1/live/matches/${matchId}/stream`, { ...bearer(free), 'last-event-id': '300' });
    await waitUntil(() => resumed.lastId === String(events.length), 'the resumed client reaches the final whistle');
    expect(resumed.updates().map((u) => u.index)).toEqual(events.slice(300).map((e) => e.index));
    await resumed.close();
    // The all-matches stream saw every event in order, and the stalled client was cut off at its bound.
    // The all-matches stream (opened after event 1, so it started with a snapshot) saw every later event in order.
    await waitUntil(() => all.updates().length === events.length - 1, 'the all-matches client has every event');
    expect(all.updates().map((u) => u.index)).toEqual(events.slice(1).map((e) => e.index));
    // The stalled client held up nobody; it is still connected, its backlog in its own buffers (the cut-off
    // at the bound is checked in live-sse-hub.test.ts, without gigabytes of loopback buffers to fill).
    expect(stalledClosed).toBe(false);
    const metrics = await t.app.inject({ url: '/metrics' });
    expect(metrics.body).toMatch(/tipster_live_events_total\{type="Pass"\} [1-9]/);
    expect(metrics.body).toMatch(/tipster_live_sse_clients 3/);

    // An all-matches client resuming from a cursor mid-match gets exactly what came after it.
    const cursorAt = all.frames.findIndex((f, i) => f.id !== undefined && i > 10);
    const lastSeen = all.frames.slice(0, cursorAt + 1).filter((f) => f.event === 'update').map((f) => (JSON.parse(f.data) as { index: number }).index).at(-1)!;
    await all.close();
    const again = openStream(`${address}/api/v1/live/stream`, { ...bearer(premium), 'last-event-id': all.frames[cursorAt]!.id! });
    const expected = events.filter((e) => e.index > lastSeen).map((e) => e.index);
    await waitUntil(() => again.updates().length === expected.length, 'the resumed all-matches client catches up');
    expect(again.updates().map((u) => u.index)).toEqual(expected);
    await again.close();
    stalled.destroy();
  }, 60_000);
});
