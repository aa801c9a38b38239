import { randomUUID } from 'node:crypto';
import { describe } from 'vitest';
import type { LiveBus } from '../../../src/live/live-bus.js';
import { MemoryLiveBus } from '../../../src/live/memory-live-bus.js';
import { NatsLiveBus } from '../../../src/live/nats-live-bus.js';

const natsUrl = process.env.TIPSTER_TEST_NATS_URL;

/** A bus kind a suite runs against; `open` gives a bus on a fresh stream each time it is called with a new name. */
export interface BusUnderTest {
  readonly name: 'memory' | 'nats';
  /**
   * Opens a bus on the suite's stream `streamKey`: two opens with the same key see the same events and
   * durable consumers (a restarted process); a new key is an empty bus.
   */
  open(streamKey: string): Promise<LiveBus>;
  /** Closes every bus opened and deletes the NATS streams. */
  cleanup(): Promise<void>;
}

function memoryBuses(): BusUnderTest {
  const buses = new Map<string, MemoryLiveBus>();
  return {
    name: 'memory',
    // The embedded bus lives in the process: "reopening" it is getting the same instance back.
    open: async (key) => {
      let bus = buses.get(key);
      if (!bus) buses.set(key, (bus = new MemoryLiveBus()));
      return bus;
    },
    cleanup: async () => {
      for (const bus of buses.values()) await bus.close();
      buses.clear();
    },
  };
}

function natsBuses(url: string): BusUnderTest {
  const suffix = randomUUID().replaceAll('-', '').slice(0, 10);
  const opened: NatsLiveBus[] = [];
  const streams = new Map<string, NatsLiveBus>();
  return {
    name: 'nats',
    open: async (key) => {
      const bus = await NatsLiveBus.open(url, { stream: `TEST_${key}_${suffix}`, subjectPrefix: `test.${key}.${suffix}`, ackWaitMs: 2_000 });
      opened.push(bus);
      streams.set(key, bus);
      return bus;
    },
    cleanup: async () => {
      for (const bus of streams.values()) await bus.deleteStream().catch(() => undefined);
      for (const bus of opened.splice(0)) await bus.close().catch(() => undefined);
      streams.clear();
    },
  };
}

/** Runs the same suite on the in-memory bus and on NATS JetStream; the NATS half is reported as skipped without a server. */
export function describePerBus(title: string, suite: (buses: BusUnderTest) => void): void {
  describe.each(['memory', 'nats'] as const)(`${title} [%s bus]`, (name) => {
    if (name === 'nats' && !natsUrl) {
      describe.skip('NATS JetStream NOT RUN: set TIPSTER_TEST_NATS_URL=nats://127.0.0.1:4222 (nats-server -js)', () => suite(natsBuses('nats://unused')));
      return;
    }
    suite(name === 'memory' ? memoryBuses() : natsBuses(natsUrl!));
  });
}

/** Polls `check` until it returns true or the deadline passes (no fixed sleeps in tests). */
export async function waitUntil(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
