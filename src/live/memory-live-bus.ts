import type { LiveEvent } from './live-event.js';
import type { LiveBus, LiveEventHandler, LiveSubscription, SubscribeOptions } from './live-bus.js';

export interface MemoryLiveBusOptions {
  /** Event ids remembered for duplicate detection (default 100,000, like a JetStream dedupe window). */
  readonly dedupeWindow?: number;
  /**
   * Events kept for consumers (default 1,000,000). Older events are dropped once every active
   * consumer has passed them; a consumer that subscribes later starts at the oldest kept event.
   */
  readonly retainEvents?: number;
}

/**
 * The embedded bus: one ordered log in memory (so per-match order holds trivially), a committed
 * offset per consumer name that survives stop/subscribe within the process, and dedupe by event id.
 */
export class MemoryLiveBus implements LiveBus {
  readonly kind = 'memory' as const;
  readonly target = 'memory';
  readonly #dedupeWindow: number;
  readonly #retain: number;
  #log: LiveEvent[] = [];
  /** Absolute offset of #log[0]. */
  #base = 0;
  readonly #seen = new Set<string>();
  readonly #seenOrder: string[] = [];
  #seenHead = 0;
  readonly #committed = new Map<string, number>();
  readonly #active = new Set<{ wake: () => void; consumer: string }>();
  #closed = false;

  get connected(): boolean {
    return !this.#closed;
  }

  constructor(options: MemoryLiveBusOptions = {}) {
    this.#dedupeWindow = options.dedupeWindow ?? 100_000;
    this.#retain = options.retainEvents ?? 1_000_000;
  }

  async publish(events: readonly LiveEvent[]): Promise<void> {
    if (this.#closed) throw new Error('MemoryLiveBus: closed');
    for (const event of events) {
      const key = `${event.matchId}\u0000${event.id}`;
      if (this.#seen.has(key)) continue;
      this.#seen.add(key);
      this.#seenOrder.push(key);
      if (this.#seenOrder.length - this.#seenHead > this.#dedupeWindow) this.#seen.delete(this.#seenOrder[this.#seenHead++]!);
      if (this.#seenHead > 65_536) {
        this.#seenOrder.splice(0, this.#seenHead);
        this.#seenHead = 0;
      }
      this.#log.push(event);
    }
    this.#trim();
    for (const sub of this.#active) sub.wake();
  }

  async subscribe(consumer: string, handler: LiveEventHandler, options: SubscribeOptions = {}): Promise<LiveSubscription> {
    const maxBatch = options.maxBatch ?? 500;
    let stopped = false;
    let wake: (() => void) | undefined;
    const entry = { consumer, wake: () => wake?.() };
    this.#active.add(entry);
    const loop = (async () => {
      while (!stopped) {
        const offset = Math.max(this.#committed.get(consumer) ?? 0, this.#base);
        const available = this.#base + this.#log.length - offset;
        if (available <= 0) {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = undefined;
          continue;
        }
        const start = offset - this.#base;
        const batch = this.#log.slice(start, start + Math.min(available, maxBatch));
        try {
          await handler(batch);
          this.#committed.set(consumer, offset + batch.length);
        } catch (error) {
          options.onError?.(error);
          // Back off a little so a failing handler does not spin; the batch comes again.
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        // Let other consumers and producers run between batches.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    })();
    return {
      stop: async () => {
        stopped = true;
        wake?.();
        await loop;
        this.#active.delete(entry);
      },
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const sub of this.#active) sub.wake();
  }

  #trim(): void {
    const excess = this.#log.length - this.#retain;
    if (excess <= 0) return;
    let slowest = this.#base + this.#log.length;
    for (const sub of this.#active) slowest = Math.min(slowest, this.#committed.get(sub.consumer) ?? this.#base);
    const drop = Math.min(excess, slowest - this.#base);
    if (drop <= 0) return;
    this.#log = this.#log.slice(drop);
    this.#base += drop;
  }
}
