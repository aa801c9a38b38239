// Events per second through bus → live state → in-play model (no store), on the in-memory bus and,
// when TIPSTER_BENCH_NATS_URL is set, on NATS JetStream. Prints figures; never fails a build.
import os from 'node:os';
import { LiveCentre } from '../src/live/live-centre.js';
import type { LiveBus } from '../src/live/live-bus.js';
import { simulateMatch } from '../src/live/match-simulator.js';
import { MemoryLiveBus } from '../src/live/memory-live-bus.js';
import { NatsLiveBus } from '../src/live/nats-live-bus.js';

const MATCHES = 20;
const rates = { homeGoals: 1.6, awayGoals: 1.2, modelVersion: 'bench' };

async function measure(bus: LiveBus, label: string): Promise<void> {
  const events = Array.from({ length: MATCHES }, (_, i) => simulateMatch({ matchId: `bench-${label}-${i}-${Date.now()}`, homeTeam: 'Home', awayTeam: 'Away', rates, seed: i + 1 })).flat();
  const centre = new LiveCentre({ bus, consumer: `bench-${Date.now()}` });
  await centre.start();
  const started = performance.now();
  await bus.publish(events);
  while (centre.appliedEvents < events.length) await new Promise((r) => setTimeout(r, 2));
  const seconds = (performance.now() - started) / 1000;
  await centre.stop();
  console.log(`${label.padEnd(7)} ${events.length} events of ${MATCHES} matches in ${seconds.toFixed(2)} s: ${Math.round(events.length / seconds).toLocaleString('en-GB')} events/s (publish + consume + state + in-play model)`);
}

console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`);
const memory = new MemoryLiveBus();
await measure(memory, 'memory');
await memory.close();
const natsUrl = process.env.TIPSTER_BENCH_NATS_URL;
if (natsUrl) {
  const nats = await NatsLiveBus.open(natsUrl, { stream: `BENCH_${Date.now()}`, subjectPrefix: `bench.${Date.now()}` });
  await measure(nats, 'nats');
  await nats.deleteStream();
  await nats.close();
} else console.log('nats    not run (set TIPSTER_BENCH_NATS_URL=nats://127.0.0.1:4222)');
