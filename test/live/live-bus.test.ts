import { afterAll, expect, it } from 'vitest';
import type { LiveEvent } from '../../src/live/live-event.js';
import { describePerBus, waitUntil } from './support/buses.js';

function events(matchId: string, count: number, from = 1): LiveEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    matchId,
    homeTeam: 'Arsenal',
    awayTeam: 'Chelsea',
    id: `${matchId}-e${from + i}`,
    index: from + i,
    period: 1,
    minute: Math.floor((from + i) / 10),
    second: 0,
    type: 'Pass' as const,
    team: (from + i) % 2 === 0 ? 'Arsenal' : 'Chelsea',
  }));
}

describePerBus('live bus', (buses) => {
  afterAll(() => buses.cleanup());

  it('delivers every match in publish order, interleaved matches included, and drops republished ids', async () => {
    const bus = await buses.open('order');
    const a = events('m-a', 300);
    const b = events('m-b', 300);
    const interleaved = a.flatMap((e, i) => [e, b[i]!]);
    await bus.publish(interleaved.slice(0, 400));
    await bus.publish(interleaved.slice(350)); // 50 duplicates by id
    const seen = new Map<string, number[]>();
    const sub = await bus.subscribe('order-consumer', async (batch) => {
      for (const e of batch) seen.set(e.matchId, [...(seen.get(e.matchId) ?? []), e.index]);
    });
    await waitUntil(() => (seen.get('m-a')?.length ?? 0) + (seen.get('m-b')?.length ?? 0) >= 600, 'both matches arrive');
    await sub.stop();
    const range = Array.from({ length: 300 }, (_, i) => i + 1);
    expect(seen.get('m-a')).toEqual(range);
    expect(seen.get('m-b')).toEqual(range);
  });

  it('a durable consumer stopped in the middle of a match resumes after its last acknowledged batch, without gaps', async () => {
    const bus = await buses.open('restart');
    await bus.publish(events('m-r', 200));
    const handled: number[] = [];
    const first = await bus.subscribe('restart-consumer', async (batch) => {
      for (const e of batch) handled.push(e.index);
    }, { maxBatch: 50 });
    await waitUntil(() => handled.length >= 50, 'the first batches are handled');
    await first.stop();
    const before = handled.length;
    // The producer keeps going while the consumer is down.
    await bus.publish(events('m-r', 200, 201));
    // A new process: the same stream and consumer name, a new connection.
    const reopened = await buses.open('restart');
    const second = await reopened.subscribe('restart-consumer', async (batch) => {
      for (const e of batch) handled.push(e.index);
    }, { maxBatch: 50 });
    await waitUntil(() => new Set(handled).size >= 400, 'every event is handled');
    await second.stop();
    expect(before).toBeLessThan(400);
    // Nothing skipped; an unacknowledged batch may come twice, which idempotent consumers absorb.
    expect([...new Set(handled)].sort((x, y) => x - y)).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
  });

  it('delivers a batch again when its handler fails', async () => {
    const bus = await buses.open('retry');
    await bus.publish(events('m-f', 20));
    let failures = 0;
    const handled: number[] = [];
    const sub = await bus.subscribe('retry-consumer', async (batch) => {
      if (failures === 0) {
        failures++;
        throw new Error('database briefly down');
      }
      for (const e of batch) handled.push(e.index);
    });
    await waitUntil(() => new Set(handled).size >= 20, 'the failed batch is delivered again');
    await sub.stop();
    expect(failures).toBe(1);
    expect([...new Set(handled)].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });
});
