import type { LiveBus } from './live-bus.js';
import { elapsedSeconds, type LiveEvent } from './live-event.js';

export interface ReplayOptions {
  /** Match seconds per wall second (60 = a minute per second); Infinity publishes as fast as the bus takes them. */
  readonly speed: number;
  /** Stops the replay early. */
  readonly signal?: AbortSignal;
  /** Stamps `emittedAtMs` on each event (latency measurements). */
  readonly stamp?: () => number;
  /** Waits (tests pass a fake); default setTimeout. */
  readonly sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Publishes a match's events paced by the match clock at `speed`. Events sharing a moment go out as
 * one batch. Half-time is not replayed in real time (the clock jumps from the first half's last
 * event to 45:00). Returns the number of events published.
 */
export async function replayEvents(bus: LiveBus, events: readonly LiveEvent[], options: ReplayOptions): Promise<number> {
  if (!(options.speed > 0)) throw new RangeError(`replayEvents: speed must be > 0, got ${options.speed}`);
  const sleep = options.sleep ?? defaultSleep;
  const startMs = Date.now();
  let clockOffset = 0;
  let previous = events.length > 0 ? elapsedSeconds(events[0]!) : 0;
  let published = 0;
  let i = 0;
  while (i < events.length) {
    if (options.signal?.aborted) break;
    const at = elapsedSeconds(events[i]!);
    // Period changes restart the clock at 45:00, 90:00 …: skip the pause rather than the play.
    if (at < previous) clockOffset += previous - at;
    previous = at;
    if (Number.isFinite(options.speed)) {
      const dueMs = startMs + ((at + clockOffset - elapsedSeconds(events[0]!)) * 1000) / options.speed;
      const waitMs = dueMs - Date.now();
      if (waitMs > 1) await sleep(waitMs);
    }
    let j = i + 1;
    const limit = Number.isFinite(options.speed) ? 1 : 500;
    while (j < events.length && (Number.isFinite(options.speed) ? elapsedSeconds(events[j]!) === at : j - i < limit)) j++;
    const batch = options.stamp ? events.slice(i, j).map((e) => ({ ...e, emittedAtMs: options.stamp!() })) : events.slice(i, j);
    await bus.publish(batch);
    published += batch.length;
    i = j;
  }
  return published;
}
