import type { LiveEvent } from './live-event.js';

/** Receives a batch of events in per-match order; the batch is acknowledged once it resolves. */
export type LiveEventHandler = (events: readonly LiveEvent[]) => Promise<void>;

/** A running durable subscription. */
export interface LiveSubscription {
  /** Stops delivery; events not yet acknowledged are delivered again to the next subscriber of the same name. */
  stop(): Promise<void>;
}

export interface SubscribeOptions {
  /** Largest batch handed to the handler (default 500). */
  readonly maxBatch?: number;
  /** Called when the handler throws; the batch is delivered again (default: ignore). */
  readonly onError?: (error: unknown) => void;
}

/**
 * The live event bus: producers publish, durable consumers receive every event once per consumer
 * name, in publish order within a match, resuming after the last acknowledged batch when a
 * consumer with the same name subscribes again. Publishing an event id twice (within the
 * dedupe window) stores it once; consumers must still be idempotent by (match, index) because a
 * batch whose handler failed or was cut short is delivered again.
 */
export interface LiveBus {
  /** `memory` or `nats`, for logs and status pages. */
  readonly kind: 'memory' | 'nats';
  /** Where the bus is, without credentials. */
  readonly target: string;
  /** Whether the bus can deliver right now (NATS: the connection is up; memory: not closed). */
  readonly connected: boolean;
  publish(events: readonly LiveEvent[]): Promise<void>;
  subscribe(consumer: string, handler: LiveEventHandler, options?: SubscribeOptions): Promise<LiveSubscription>;
  close(): Promise<void>;
}
