import type { LiveBus } from './live-bus.js';
import { MemoryLiveBus } from './memory-live-bus.js';
import { NatsLiveBus, type NatsLiveBusOptions } from './nats-live-bus.js';

/** The bus TIPSTER_BUS_URL names: `memory` (or unset) for the embedded bus, `nats://host:port` for JetStream. */
export async function openLiveBus(url: string | undefined, options: NatsLiveBusOptions = {}): Promise<LiveBus> {
  if (url === undefined || url === 'memory') return new MemoryLiveBus();
  return NatsLiveBus.open(url, options);
}
