/**
 * Issue 4 target: looking up the production model by alias costs under 1 ms when cached.
 * Measures the cached lookup, the uncached one (cache expired, registry unchanged) and the first
 * lookup after another connection moved the alias. Prints figures; never fails a build.
 * Usage: npm run bench:registry
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrateStore } from '../src/store/migrate-store.js';
import { openStore } from '../src/store/open-store.js';
import { ModelRegistry } from '../src/tracking/model-registry.js';
import { TrackingStore } from '../src/tracking/tracking-store.js';
import { describeMachine, median } from './machine.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tipster-bench-registry-'));
const url = `sqlite:${path.join(tmp, 'registry.db')}`;
const store = await openStore(url);
await migrateStore(store);
const tracking = new TrackingStore(store);
let clock = 0;
const registry = new ModelRegistry(store, { now: () => clock, cacheCheckMs: 1_000 });
await registry.registerModel({ name: 'football-1x2-E0', task: 'football-1x2', primaryMetric: 'rps', higherIsBetter: false });
for (let v = 0; v < 20; v++) await registry.createModelVersion('football-1x2-E0', await tracking.createRun({ experiment: 'bench' }));
await registry.setModelAlias('football-1x2-E0', 'production', 20, { actor: 'bench', reason: 'setup' });

const time = async (n: number, before: () => Promise<void> | void) => {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    await before();
    const started = performance.now();
    await registry.getModelVersionByAlias('football-1x2-E0', 'production');
    samples.push(performance.now() - started);
  }
  return samples;
};
await time(200, () => undefined); // warm up
const cached = await time(10_000, () => undefined);
const expired = await time(500, () => void (clock += 1_001));
const other = await openStore(url);
const otherRegistry = new ModelRegistry(other);
let v = 19;
const moved = await time(200, async () => {
  await otherRegistry.setModelAlias('football-1x2-E0', 'production', v, { actor: 'bench', reason: 'move' });
  v = v === 19 ? 20 : 19;
  clock += 1_001;
});
await other.close();
await store.close();
fs.rmSync(tmp, { recursive: true, force: true });

const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.99)]!;
console.log(`machine: ${describeMachine()}\n`);
console.log('production alias lookup (SQLite)');
console.log(`  cached:                        median ${(median(cached) * 1000).toFixed(1)} µs, p99 ${(p99(cached) * 1000).toFixed(1)} µs`);
console.log(`  cache expired, no change:      median ${median(expired).toFixed(3)} ms, p99 ${p99(expired).toFixed(3)} ms`);
console.log(`  after a move by another process: median ${median(moved).toFixed(3)} ms, p99 ${p99(moved).toFixed(3)} ms`);
