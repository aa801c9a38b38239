/**
 * A no-op 5-task diamond (a → b, c, d → e) run in-process on a SQLite file, 50 times.
 * Target (issue 4): under 200 ms per run. What remains is pure engine overhead: one transaction per
 * state change (run created, started, each attempt started and finished, run finished) plus reading
 * the finished run back.
 *
 * Run: npx tsx bench/pipeline-dag.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { definePipeline } from '../src/pipelines/define-pipeline.js';
import { runPipeline } from '../src/pipelines/run-pipeline.js';
import { migrateStore } from '../src/store/migrate-store.js';
import { openStore } from '../src/store/open-store.js';
import { describeMachine, median } from './machine.js';

const RUNS = 50;
const WARMUP = 5;

const noop = async () => null;
const pipeline = definePipeline({
  name: 'bench-diamond',
  description: 'no-op diamond',
  tasks: [
    { name: 'a', run: noop },
    { name: 'b', dependsOn: ['a'], run: noop },
    { name: 'c', dependsOn: ['a'], run: noop },
    { name: 'd', dependsOn: ['a'], run: noop },
    { name: 'e', dependsOn: ['b', 'c', 'd'], run: noop },
  ],
});

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tipster-bench-'));
const store = await openStore(`sqlite:${path.join(dir, 'bench.db')}`);
try {
  await migrateStore(store);
  for (let i = 0; i < WARMUP; i++) await runPipeline(store, pipeline, { trigger: 'bench' });
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    const run = await runPipeline(store, pipeline, { trigger: 'bench' });
    times.push(performance.now() - start);
    if (run.status !== 'succeeded') throw new Error(`run ${run.id} ended ${run.status}: ${run.error}`);
  }
  const sorted = [...times].sort((x, y) => x - y);
  const p90 = sorted[Math.ceil(0.9 * sorted.length) - 1]!;
  console.log(`machine: ${describeMachine()}`);
  console.log(`no-op 5-task diamond, in-process, SQLite file (WAL), ${RUNS} runs after ${WARMUP} warm-up`);
  console.log(`median ${median(times).toFixed(2)} ms   p90 ${p90.toFixed(2)} ms   max ${sorted.at(-1)!.toFixed(2)} ms`);
  console.log('target: < 200 ms per run');
} finally {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
