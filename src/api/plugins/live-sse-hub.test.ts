import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { LiveUpdate } from '../../live/live-centre.js';
import { InPlayModel } from '../../live/in-play-model.js';
import { applyLiveEvent, newLiveMatchState } from '../../live/live-match-state.js';
import { simulateMatch } from '../../live/match-simulator.js';
import { LiveSseHub, parseAllMatchesCursor, type SseDisconnectReason } from './live-sse-hub.js';

/** A response whose reader is as fast or as stalled as the test says. */
class FakeResponse extends EventEmitter {
  written = '';
  writableLength = 0;
  destroyed = false;
  ended = false;
  constructor(readonly stalled: boolean) {
    super();
  }
  writeHead(): this {
    return this;
  }
  write(text: string): boolean {
    if (this.stalled) this.writableLength += text.length;
    else this.written += text;
    return !this.stalled;
  }
  destroy(): void {
    this.destroyed = true;
    this.emit('close');
  }
  end(): void {
    this.ended = true;
    this.emit('close');
  }
}

const rates = { homeGoals: 1.5, awayGoals: 1.2, modelVersion: 'test@1' };

function updatesOf(matchId: string): LiveUpdate[] {
  const events = simulateMatch({ matchId, homeTeam: 'Arsenal', awayTeam: 'Chelsea', rates, seed: 3 });
  const state = newLiveMatchState(matchId, 'Arsenal', 'Chelsea');
  const model = new InPlayModel();
  return events.map((event) => {
    applyLiveEvent(state, event);
    return { matchId, event, state, probability: model.predict(rates, { elapsedSeconds: 0, period: 1, homeScore: 0, awayScore: 0, homeRedCards: 0, awayRedCards: 0, homeXg: 0, awayXg: 0, halfTime: false, finished: false }), key: false, score: { home: 0, away: 0 }, minute: event.minute };
  });
}

describe('live SSE hub', () => {
  it('cuts off a stalled client at its bound while a fast one gets every update', async () => {
    const reasons: SseDisconnectReason[] = [];
    const hub = new LiveSseHub({ maxBufferedBytes: 32 * 1024, onDisconnect: (r) => reasons.push(r) });
    const fast = new FakeResponse(false);
    const stalled = new FakeResponse(true);
    const a = hub.open(fast as unknown as ServerResponse, 'm1');
    const b = hub.open(stalled as unknown as ServerResponse, 'm1');
    await hub.resume(a, []);
    await hub.resume(b, []);
    const updates = updatesOf('m1');
    for (let i = 0; i < updates.length; i += 10) hub.publish(updates.slice(i, i + 10));
    expect(stalled.destroyed).toBe(true);
    // Memory per client stays within the bound plus one batch.
    expect(stalled.writableLength).toBeLessThan(32 * 1024 + 10 * 2_000);
    expect(reasons).toEqual(['overflow']);
    expect(hub.size).toBe(1);
    const ids = [...fast.written.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(ids).toEqual(updates.map((u) => u.event.index));
    hub.closeAll();
    expect(fast.ended).toBe(true);
    expect(reasons).toEqual(['overflow', 'shutdown']);
  });

  it('holds live frames during a replay and drops the ones the replay covered', async () => {
    const hub = new LiveSseHub();
    const res = new FakeResponse(false);
    const client = hub.open(res as unknown as ServerResponse, 'm1');
    const updates = updatesOf('m1').slice(0, 20);
    hub.publish(updates.slice(0, 15)); // arrives while the replay (events 1-10) is being read
    await hub.resume(client, updates.slice(0, 10).map((u) => ({ matchId: 'm1', index: u.event.index, text: `id: ${u.event.index}\nevent: update\ndata: {}\n\n` })));
    hub.publish(updates.slice(15));
    expect([...res.written.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]))).toEqual(updates.map((u) => u.event.index));
    hub.closeAll();
  });

  it('sends a batch delivered again (its commit failed after the fan-out) to no client twice', async () => {
    const hub = new LiveSseHub();
    const one = new FakeResponse(false);
    const all = new FakeResponse(false);
    await hub.resume(hub.open(one as unknown as ServerResponse, 'm1'), []);
    await hub.resume(hub.open(all as unknown as ServerResponse, null), []);
    const updates = updatesOf('m1').slice(0, 30);
    hub.publish(updates.slice(0, 20));
    hub.publish(updates.slice(10, 30)); // the redelivery overlaps what was sent
    expect([...one.written.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]))).toEqual(updates.map((u) => u.event.index));
    expect([...all.written.matchAll(/"index":(\d+)/g)].map((m) => Number(m[1]))).toEqual(updates.map((u) => u.event.index));
    hub.closeAll();
  });

  it('parses its own all-matches cursor and rejects anything else', () => {
    const hub = new LiveSseHub({ now: () => 1_700_000_000_000 });
    hub.seed([]);
    hub.publish(updatesOf('m-1.a').slice(0, 3));
    const cursor = parseAllMatchesCursor(hub.cursor());
    expect(cursor).toEqual({ atMs: 1_700_000_000_000, indexes: new Map([['m-1.a', 3]]) });
    expect(parseAllMatchesCursor('')).toBeUndefined();
    expect(parseAllMatchesCursor('abc;m:1')).toBeUndefined();
    expect(parseAllMatchesCursor('1700000000000;m:x')).toBeUndefined();
    hub.closeAll();
  });
});
