import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import { connect, nanos, type NatsConnection } from '@nats-io/transport-node';
import { TipsterError } from '../core/errors.js';
import type { LiveEvent } from './live-event.js';
import type { LiveBus, LiveEventHandler, LiveSubscription, SubscribeOptions } from './live-bus.js';

export interface NatsLiveBusOptions {
  /** JetStream stream name (default TIPSTER_LIVE); tests use one per suite. */
  readonly stream?: string;
  /** Subject prefix; each match publishes on `<prefix>.<matchId>` (default `tipster.live.match`). */
  readonly subjectPrefix?: string;
  /** How long JetStream remembers message ids for dedupe (default 10 minutes). */
  readonly dedupeWindowMs?: number;
  /** Unacknowledged messages are redelivered after this (default 10 s). */
  readonly ackWaitMs?: number;
  /** Events published concurrently by one publish call (default 256); one connection keeps their order. */
  readonly publishWindow?: number;
}

/**
 * JetStream bus: one stream, one subject per match (so a match's events keep their order and can be
 * replayed alone), message id `<matchId>:<eventId>` for publish-side dedupe, and durable pull
 * consumers with explicit acks that resume after the last acknowledged event.
 */
export class NatsLiveBus implements LiveBus {
  readonly kind = 'nats' as const;
  readonly target: string;
  readonly #nc: NatsConnection;
  readonly #js: JetStreamClient;
  readonly #jsm: JetStreamManager;
  readonly #stream: string;
  readonly #prefix: string;
  readonly #ackWaitMs: number;
  readonly #window: number;
  readonly #subscriptions = new Set<LiveSubscription>();
  #disconnected = false;

  private constructor(target: string, nc: NatsConnection, jsm: JetStreamManager, options: NatsLiveBusOptions) {
    this.target = target;
    this.#nc = nc;
    this.#jsm = jsm;
    this.#js = jetstream(nc);
    this.#stream = options.stream ?? 'TIPSTER_LIVE';
    this.#prefix = options.subjectPrefix ?? 'tipster.live.match';
    this.#ackWaitMs = options.ackWaitMs ?? 10_000;
    this.#window = options.publishWindow ?? 256;
    // Follow the connection so readiness can tell a reconnecting bus from a working one.
    void (async () => {
      for await (const s of nc.status()) {
        if (s.type === 'disconnect') this.#disconnected = true;
        else if (s.type === 'reconnect') this.#disconnected = false;
      }
    })().catch(() => undefined);
  }

  get connected(): boolean {
    return !this.#disconnected && !this.#nc.isClosed();
  }

  /** Connects and creates (or updates) the stream. */
  static async open(url: string, options: NatsLiveBusOptions = {}): Promise<NatsLiveBus> {
    const parsed = new URL(url);
    const target = `${parsed.protocol}//${parsed.hostname}:${parsed.port || '4222'}`;
    let nc: NatsConnection;
    try {
      nc = await connect({
        servers: `${parsed.hostname}:${parsed.port || '4222'}`,
        ...(parsed.username ? { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) } : {}),
        timeout: 5_000,
        name: 'tipster-live',
      });
    } catch (error) {
      throw new TipsterError('TIPSTER_ERR_LIVE_BUS_UNREACHABLE', { target, reason: (error as Error).message }, { cause: error });
    }
    try {
      const jsm = await jetstreamManager(nc);
      const bus = new NatsLiveBus(target, nc, jsm, options);
      const config = { subjects: [`${bus.#prefix}.>`], duplicate_window: nanos(options.dedupeWindowMs ?? 600_000) };
      try {
        await jsm.streams.info(bus.#stream);
        await jsm.streams.update(bus.#stream, config);
      } catch {
        await jsm.streams.add({ name: bus.#stream, ...config });
      }
      return bus;
    } catch (error) {
      await nc.close();
      throw new TipsterError('TIPSTER_ERR_LIVE_BUS_UNREACHABLE', { target, reason: `JetStream is not available (${(error as Error).message}); start nats-server with -js` }, { cause: error });
    }
  }

  async publish(events: readonly LiveEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += this.#window) {
      const chunk = events.slice(i, i + this.#window);
      // Issued in order on one connection, so the stream stores them in order; awaited together.
      await Promise.all(chunk.map((event) => this.#js.publish(`${this.#prefix}.${event.matchId}`, JSON.stringify(event), { msgID: `${event.matchId}:${event.id}` })));
    }
  }

  async subscribe(consumer: string, handler: LiveEventHandler, options: SubscribeOptions = {}): Promise<LiveSubscription> {
    const maxBatch = options.maxBatch ?? 500;
    try {
      await this.#jsm.consumers.info(this.#stream, consumer);
    } catch {
      await this.#jsm.consumers.add(this.#stream, {
        durable_name: consumer,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        ack_wait: nanos(this.#ackWaitMs),
        max_ack_pending: 4 * maxBatch,
      });
    }
    const pull = await this.#js.consumers.get(this.#stream, consumer);
    const messages = await pull.consume({ max_messages: 2 * maxBatch });
    let stopping = false;
    const pending: JsMsg[] = [];
    let draining: Promise<void> | undefined;
    const drain = async () => {
      while (pending.length > 0 && !stopping) {
        const batch = pending.splice(0, maxBatch);
        try {
          await handler(batch.map((m) => m.json<LiveEvent>()));
          for (const m of batch) m.ack();
        } catch (error) {
          options.onError?.(error);
          for (const m of batch) m.nak(100);
        }
      }
      draining = undefined;
    };
    const loop = (async () => {
      for await (const m of messages) {
        if (stopping) {
          m.nak();
          continue;
        }
        pending.push(m);
        // A macrotask boundary lets the iterator hand over everything already buffered as one batch.
        draining ??= new Promise<void>((resolve) => setImmediate(resolve)).then(drain);
      }
    })();
    const subscription: LiveSubscription = {
      stop: async () => {
        if (stopping) return;
        stopping = true;
        await draining;
        // Whatever was received but not handled goes back at once rather than after ack_wait.
        for (const m of pending.splice(0)) m.nak();
        await messages.close();
        await loop;
        this.#subscriptions.delete(subscription);
      },
    };
    this.#subscriptions.add(subscription);
    return subscription;
  }

  /** Deletes the stream (tests and `tipster live reset`); consumers go with it. */
  async deleteStream(): Promise<void> {
    await this.#jsm.streams.delete(this.#stream);
  }

  async close(): Promise<void> {
    for (const s of [...this.#subscriptions]) await s.stop();
    await this.#nc.drain();
  }
}
