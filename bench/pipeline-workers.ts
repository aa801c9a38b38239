/**
 * The no-op 5-task DAG `worker-drill` (a → b, c → d → e, sleepMs 0) run through two `tipster worker`
 * processes on PostgreSQL, 20 times after 3 warm-up runs, next to the same DAG run in-process on the
 * same database. The difference is the price of distribution: per attempt a dispatch row, a pg-boss
 * job, a NOTIFY that wakes a worker, its claim, and a NOTIFY back with the result (polling is only the
 * backstop). Needs TIPSTER_BENCH_POSTGRES_URL (a role that may CREATE DATABASE).
 *
 * Run: TIPSTER_BENCH_POSTGRES_URL=postgres://tipster:tipster@127.0.0.1:5432/postgres npx tsx bench/pipeline-workers.ts
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { PgBossTaskExecutor } from '../src/pipelines/distributed/pg-boss-task-executor.js';
import { InProcessTaskExecutor } from '../src/pipelines/in-process-task-executor.js';
import { runPipeline } from '../src/pipelines/run-pipeline.js';
import type { TaskExecutor } from '../src/pipelines/task-executor.js';
import { workerDrillPipeline } from '../src/pipelines/worker-drill-pipeline.js';
import { migrateStore } from '../src/store/migrate-store.js';
import { openStore } from '../src/store/open-store.js';
import type { Store } from '../src/store/store.js';
import { describeMachine, median } from './machine.js';

const RUNS = 20;
const WARMUP = 3;
const WORKERS = 2;
const DATABASE = 'tipster_bench_workers';

const adminUrl = process.env.TIPSTER_BENCH_POSTGRES_URL;
if (!adminUrl) {
  console.log('PostgreSQL: not run (set TIPSTER_BENCH_POSTGRES_URL=postgres://user:pass@host:5432/postgres)');
  process.exit(0);
}
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`drop database if exists ${DATABASE} with (force)`);
await admin.query(`create database ${DATABASE}`);
const url = new URL(adminUrl);
url.pathname = `/${DATABASE}`;

const repo = fileURLToPath(new URL('../', import.meta.url));
const store = await openStore(url.toString());
const children: ChildProcess[] = [];
try {
  await migrateStore(store);
  const drill = workerDrillPipeline();

  // Real worker processes, run from source like the tests do.
  for (let i = 0; i < WORKERS; i++) {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repo, 'test/support/run-cli.ts'), 'worker'], {
      cwd: repo,
      env: { ...process.env, TIPSTER_DATABASE_URL: url.toString(), TIPSTER_LOG_LEVEL: 'error' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('stops it.')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`worker exited with code ${code} before starting`)));
    });
    child.stdout!.resume();
  }

  const time = async (executor: TaskExecutor): Promise<number[]> => {
    const times: number[] = [];
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const start = performance.now();
      const run = await runPipeline(store, drill, { trigger: 'bench', executor });
      if (run.status !== 'succeeded') throw new Error(`run ${run.id} ended ${run.status}: ${run.error}`);
      if (i >= WARMUP) times.push(performance.now() - start);
    }
    return times;
  };
  const report = (label: string, times: number[]) => {
    const sorted = [...times].sort((x, y) => x - y);
    const p90 = sorted[Math.ceil(0.9 * sorted.length) - 1]!;
    console.log(`${label.padEnd(34)} median ${median(times).toFixed(1)} ms   p90 ${p90.toFixed(1)} ms   max ${sorted.at(-1)!.toFixed(1)} ms`);
  };

  console.log(`machine: ${describeMachine()}`);
  console.log(`worker-drill (5 no-op tasks in 4 levels), PostgreSQL loopback, ${RUNS} runs after ${WARMUP} warm-up`);
  report('in-process', await time(new InProcessTaskExecutor(store)));
  const workers = new PgBossTaskExecutor(store, { connectionString: url.toString() });
  try {
    report(`${WORKERS} worker processes (pg-boss)`, await time(workers));
  } finally {
    await workers.close();
  }
} finally {
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(children.map((c) => new Promise((resolve) => (c.exitCode !== null ? resolve(null) : c.once('exit', resolve)))));
  await closeQuietly(store);
  await admin.query(`drop database if exists ${DATABASE} with (force)`);
  await admin.end();
}

async function closeQuietly(s: Store): Promise<void> {
  await s.close().catch(() => undefined);
}
