/**
 * Issue 4 target: logging 10,000 metrics to a run takes under 1 s on SQLite. Measures the batch
 * call a training loop should use (`logMetrics`) and, for comparison, one call per value
 * (`logMetric`, one transaction each). PostgreSQL too when TIPSTER_BENCH_POSTGRES_URL is set.
 * Prints figures; never fails a build.  Usage: npm run bench:tracking
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { migrateStore } from '../src/store/migrate-store.js';
import { openStore } from '../src/store/open-store.js';
import { TrackingStore } from '../src/tracking/tracking-store.js';
import { describeMachine, median } from './machine.js';

const METRICS = 10_000;
const RUNS = 5;

async function bench(label: string, url: string): Promise<void> {
  const store = await openStore(url);
  await migrateStore(store);
  const tracking = new TrackingStore(store);
  const batch: number[] = [];
  const single: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const points = Array.from({ length: METRICS }, (_, i) => ({ key: `metric_${i % 10}`, value: Math.sin(i), step: Math.floor(i / 10) }));
    const batchRun = await tracking.createRun({ experiment: 'bench' });
    let started = performance.now();
    await tracking.logMetrics(batchRun, points);
    batch.push(performance.now() - started);
    const singleRun = await tracking.createRun({ experiment: 'bench' });
    started = performance.now();
    for (const p of points) await tracking.logMetric(singleRun, p.key, p.value, { step: p.step });
    single.push(performance.now() - started);
  }
  await store.close();
  console.log(`${label}: ${METRICS.toLocaleString('en-GB')} metrics, median of ${RUNS}`);
  console.log(`  logMetrics (one batch):          ${median(batch).toFixed(0)} ms`);
  console.log(`  logMetric  (one call per value): ${median(single).toFixed(0)} ms`);
}

console.log(`machine: ${describeMachine()}\n`);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tipster-bench-tracking-'));
await bench('SQLite', `sqlite:${path.join(tmp, 'tracking.db')}`);
fs.rmSync(tmp, { recursive: true, force: true });
const postgres = process.env.TIPSTER_BENCH_POSTGRES_URL;
if (postgres) {
  const admin = new pg.Client({ connectionString: postgres });
  await admin.connect();
  await admin.query('drop database if exists tipster_bench_tracking with (force)');
  await admin.query('create database tipster_bench_tracking');
  await admin.end();
  const url = new URL(postgres);
  url.pathname = '/tipster_bench_tracking';
  await bench('PostgreSQL', url.toString());
} else {
  console.log('\nPostgreSQL: not run (set TIPSTER_BENCH_POSTGRES_URL)');
}
