import { afterAll, expect, it } from 'vitest';
import { LiveCentre } from '../../src/live/live-centre.js';
import type { LiveEvent } from '../../src/live/live-event.js';
import { listProbabilityHistory, listStoredLiveEvents } from '../../src/live/live-match-repository.js';
import { replayEvents } from '../../src/live/replay-events.js';
import { readStatsBombEventFile } from '../../src/live/statsbomb-events.js';
import { MemoryLiveBus } from '../../src/live/memory-live-bus.js';
import { describePerBackend, freshStore } from '../support/backends.js';
import { statsBombEventsFile } from './support/statsbomb.js';
import { describePerBus, waitUntil } from './support/buses.js';

const barcaGirona = () => readStatsBombEventFile(statsBombEventsFile(15986));

describePerBus('live centre', (buses) => {
  afterAll(() => buses.cleanup());

  it('a consumer restarted in the middle of a match ends in the same state as one that never stopped', async () => {
    const { sqliteBackend } = await import('./support/sqlite-only.js');
    const backend = sqliteBackend();
    const store = await freshStore(backend);
    const match = barcaGirona();
    const bus = await buses.open('centre');
    const first = new LiveCentre({ bus, store, consumer: 'centre-restart' });
    await first.start();
    const half = Math.floor(match.events.length / 2);
    await replayEvents(bus, match.events.slice(0, half), { speed: Infinity });
    await waitUntil(() => (first.getMatch(match.matchId)?.state.lastIndex ?? 0) >= 1000, 'the first centre is inside the match');
    await first.stop();

    // The rest of the match is published while no consumer runs; a duplicate resend too.
    await replayEvents(bus, match.events.slice(half - 100), { speed: Infinity });
    const second = new LiveCentre({ bus: await buses.open('centre'), store, consumer: 'centre-restart' });
    await second.start();
    await waitUntil(() => second.getMatch(match.matchId)?.state.status === 'finished', 'the restarted centre reaches the final whistle');
    await second.stop();

    const state = second.getMatch(match.matchId)!.state;
    expect([state.home.goals, state.away.goals]).toEqual([match.finalScore.home, match.finalScore.away]);
    expect(state.eventCount).toBe(match.events.length);
    const stored = await listStoredLiveEvents(store.db, match.matchId, 0);
    expect(stored.map((e) => e.index)).toEqual(match.events.map((e) => e.index));

    // The same events through a centre that never stopped give the same state.
    const control = new LiveCentre({ bus: new MemoryLiveBus(), consumer: 'control' });
    await control.start();
    await replayEvents(control.bus, match.events, { speed: Infinity });
    await waitUntil(() => control.getMatch(match.matchId)?.state.status === 'finished', 'the control centre finishes');
    await control.stop();
    expect(state).toEqual(control.getMatch(match.matchId)!.state);
    await store.close();
    await backend.cleanup();
  });
});

it('lists the most recently updated match first, even when several were updated in the same millisecond', async () => {
  const centre = new LiveCentre({ bus: new MemoryLiveBus(), now: () => Date.UTC(2024, 0, 1, 12) });
  await centre.start();
  const ids = ['m-1', 'm-2', 'm-3'];
  for (const matchId of ids) {
    await centre.bus.publish([{ matchId, homeTeam: 'Arsenal', awayTeam: 'Chelsea', id: `${matchId}-e1`, index: 1, period: 1, minute: 0, second: 0, team: 'Arsenal', type: 'Half Start' } as LiveEvent]);
    await waitUntil(() => centre.getMatch(matchId) !== undefined, `${matchId} is applied`);
  }
  expect(centre.listMatches().map((m) => m.state.matchId)).toEqual(['m-3', 'm-2', 'm-1']);
  await centre.stop();
});

describePerBackend('live state persistence', (backend) => {
  afterAll(() => backend.cleanup());

  it('a replayed StatsBomb match reproduces the real final score, and a restarted server shows the same state', async () => {
    const store = await freshStore(backend);
    const match = barcaGirona();
    const bus = new MemoryLiveBus();
    const centre = new LiveCentre({ bus, store });
    await centre.start();
    await replayEvents(bus, match.events, { speed: Infinity });
    // Everything again: duplicates by id are dropped by the bus, and by index by the centre.
    await bus.publish(match.events.slice(0, 50).map((e) => ({ ...e, id: `${e.id}-resent` })));
    await waitUntil(() => centre.getMatch(match.matchId)?.state.status === 'finished', 'the match finishes');
    await centre.stop();
    const live = centre.getMatch(match.matchId)!;
    expect(match.finalScore).toEqual({ home: 2, away: 2 });
    expect([live.state.home.goals, live.state.away.goals]).toEqual([2, 2]);
    expect(live.state.home.redCards).toBe(1);
    expect(live.state.timeline.filter((t) => t.kind === 'goal' || t.kind === 'own-goal')).toHaveLength(4);
    expect(live.probability.draw).toBe(1);

    const restarted = new LiveCentre({ bus: new MemoryLiveBus(), store });
    await restarted.start();
    expect(restarted.getMatch(match.matchId)).toEqual(live);
    await restarted.stop();
    const history = await listProbabilityHistory(store.db, match.matchId);
    expect(history.length).toBeGreaterThan(90);
    expect(history.at(-1)!.draw).toBe(1);
    await store.close();
  });
});
