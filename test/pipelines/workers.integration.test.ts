import { spawn, type ChildProcessByStdio } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.js';
import { silentLogger } from '../../src/core/logger.js';
import { buildPipelineCatalogue } from '../../src/pipelines/builtin-pipelines.js';
import { PgBossTaskExecutor } from '../../src/pipelines/distributed/pg-boss-task-executor.js';
import { runPipeline } from '../../src/pipelines/run-pipeline.js';
import type { WorkerDrillOutput } from '../../src/pipelines/worker-drill-pipeline.js';
import { migrateStore } from '../../src/store/migrate-store.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { availableBackends, type Backend } from '../support/backends.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
// From source through tsx, as the other process-level tests do, so the test never runs a stale dist/.
const cli = ['--import', 'tsx', path.join(repo, 'test/support/run-cli.ts')];
const postgres = availableBackends().find((b) => b.name === 'postgres');
const describePostgres = postgres === undefined ? describe.skip : describe;

type WorkerProcess = ChildProcessByStdio<null, Readable, Readable> & { output: string };

/** Polls `check` until it returns a value, or fails after `timeoutMs` saying what it waited for. */
async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function exited(child: WorkerProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

describePostgres(
  `tipster worker processes [postgres]${postgres === undefined ? ': PostgreSQL not configured (set TIPSTER_TEST_POSTGRES_URL)' : ''}`,
  () => {
    const backend = postgres as Backend;
    let url: string;
    let store: Store;
    const children: WorkerProcess[] = [];

    const startWorker = (): WorkerProcess => {
      const env = { ...process.env, TIPSTER_DATABASE_URL: url, TIPSTER_LOG_LEVEL: 'warn' };
      const child = spawn(process.execPath, [...cli, 'worker', '--heartbeat-ms', '200', '--grace-ms', '2000'], {
        cwd: repo,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      }) as WorkerProcess;
      child.output = '';
      child.stdout.on('data', (chunk: Buffer) => (child.output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (child.output += chunk.toString()));
      children.push(child);
      return child;
    };

    beforeAll(async () => {
      url = await backend.freshUrl();
      store = await openStore(url);
      await migrateStore(store);
    });
    afterAll(async () => {
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await Promise.all(children.map(exited));
      await store?.close();
      await backend.cleanup();
    });

    it('finishes worker-drill when the worker running its slow task is killed mid-task', async () => {
      const testStartedAt = Date.now();
      const workers = [startWorker(), startWorker()];
      await waitFor(
        'both workers to start',
        async () => (workers.every((w) => w.output.includes('Ctrl-C (SIGINT) or SIGTERM stops it')) ? true : undefined),
      ).catch((error: Error) => {
        throw new Error(`${error.message}\n--- worker output ---\n${workers.map((w) => w.output).join('\n---\n')}`);
      });

      // This test process is the coordinator, with the catalogue every worker builds.
      const catalogue = buildPipelineCatalogue({ store, config: loadConfig({ TIPSTER_DATABASE_URL: url }, repo), logger: silentLogger() });
      const drill = catalogue.get('worker-drill').pipeline;
      const executor = new PgBossTaskExecutor(store, { connectionString: url, workerStaleAfterMs: 1500, pollIntervalMs: 100 });
      try {
        const running = runPipeline(store, drill, { trigger: 'manual', params: { sleepMs: 3000 }, executor });

        // Mid-task: b's worker has logged that it is sleeping.
        const victim = await waitFor('task b to be asleep on a worker', async () => {
          const row = await store.db
            .selectFrom('pipeline_task_dispatches as d')
            .innerJoin('pipeline_workers as w', 'w.id', 'd.worker_id')
            .innerJoin('task_logs as l', (join) =>
              join.onRef('l.run_id', '=', 'd.run_id').onRef('l.task', '=', 'd.task').onRef('l.attempt', '=', 'd.attempt'),
            )
            .select(['w.pid', 'w.name'])
            .where('d.task', '=', 'b')
            .where('d.state', '=', 'running')
            .where('l.message', '=', 'sleeping 3000 ms')
            .executeTakeFirst();
          return row;
        });
        const killed = workers.find((w) => w.pid === victim.pid)!;
        const survivor = workers.find((w) => w !== killed)!;
        expect(killed).toBeDefined();
        killed.kill('SIGKILL');
        const killedAt = Date.now();
        expect((await exited(killed)).signal).toBe('SIGKILL');

        const run = await running;
        const here = os.hostname();
        const killedName = `${here}:${killed.pid}`;
        const survivorName = `${here}:${survivor.pid}`;

        expect(run.status, JSON.stringify(run, null, 1)).toBe('succeeded');
        const task = (name: string) => run.tasks.find((t) => t.task === name)!;
        const b = task('b');
        expect(b).toMatchObject({ status: 'succeeded', attempt: 2 });
        expect((b.output as WorkerDrillOutput).worker).toBe(survivorName);
        const e = task('e').output as WorkerDrillOutput;
        expect(e.ranOn.b).toBe(survivorName);
        expect(e.ranOn.d).toBe(survivorName);
        expect(e.ranOn.e).toBe(survivorName);

        // b's history: what the killed worker managed to log, why the coordinator gave up on it, then the rerun.
        const lines = b.logs.map((l) => [l.attempt, l.seq, l.message]);
        expect(lines.slice(0, 2)).toEqual([
          [1, 1, `running on ${killedName}`],
          [1, 2, 'sleeping 3000 ms'],
        ]);
        expect(lines[2]![0]).toBe(1);
        expect(lines[2]![1]).toBe(3);
        expect(lines[2]![2]).toMatch(
          new RegExp(
            `^attempt 1 lost: Attempt 1 of task "b" was lost: worker ${killedName} stopped heartbeating \\d+ ms ago; starting it again`,
          ),
        );
        expect(lines.slice(3)).toEqual([
          [2, 1, `running on ${survivorName}`],
          [2, 2, 'sleeping 3000 ms'],
          [2, 3, 'woke up'],
        ]);

        // No task took effect twice: one successful dispatch each, and only what the killed worker held was lost.
        const dispatches = await store.db
          .selectFrom('pipeline_task_dispatches as d')
          .leftJoin('pipeline_workers as w', 'w.id', 'd.worker_id')
          .select(['d.task', 'd.attempt', 'd.state', 'd.dispatched_at_ms', 'w.pid'])
          .where('d.run_id', '=', run.id)
          .orderBy('d.task')
          .orderBy('d.attempt')
          .execute();
        for (const name of ['a', 'b', 'c', 'd', 'e']) {
          expect(dispatches.filter((d) => d.task === name && d.state === 'succeeded'), name).toHaveLength(1);
          expect(task(name).output).toEqual(
            expect.objectContaining({ task: name, worker: `${here}:${dispatches.find((d) => d.task === name && d.state === 'succeeded')!.pid}` }),
          );
        }
        const lost = dispatches.filter((d) => d.state === 'lost');
        expect(lost.map((d) => d.pid)).toEqual(lost.map(() => killed.pid));
        expect(lost.map((d) => d.task)).toContain('b');
        expect(dispatches.filter((d) => d.state !== 'lost' && d.state !== 'succeeded')).toEqual([]);
        // Detected in seconds: b was sent again well before pg-boss's own expiry would have noticed.
        const redispatchedAt = dispatches.find((d) => d.task === 'b' && d.attempt === 2)!.dispatched_at_ms;
        expect(redispatchedAt - killedAt).toBeLessThan(8000);

        // The survivor stops cleanly on SIGTERM; only the killed worker is left unmarked.
        survivor.kill('SIGTERM');
        expect(await exited(survivor)).toEqual({ code: 0, signal: null });
        expect(survivor.output).toMatch(/took worker-drill\/b attempt 2 of run/);
        expect(survivor.output).toMatch(/stopped\.\n$/);
        const rows = await store.db.selectFrom('pipeline_workers').select(['pid', 'stopped_at_ms']).execute();
        expect(rows.find((r) => r.pid === survivor.pid)!.stopped_at_ms).not.toBeNull();
        expect(rows.find((r) => r.pid === killed.pid)!.stopped_at_ms).toBeNull();
        expect(Date.now() - testStartedAt).toBeLessThan(45_000);
      } finally {
        await executor.close();
      }
    });
  },
);
