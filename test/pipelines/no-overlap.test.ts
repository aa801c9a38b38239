import { afterAll, beforeAll, expect, it } from 'vitest';
import { isTipsterError, type TipsterError } from '../../src/core/errors.js';
import { definePipeline } from '../../src/pipelines/define-pipeline.js';
import { PipelineRunRepository } from '../../src/pipelines/pipeline-run-repository.js';
import { runPipeline } from '../../src/pipelines/run-pipeline.js';
import { migrateStore } from '../../src/store/migrate-store.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { describePerBackend } from '../support/backends.js';

const newRun = (id: string, pipeline: string) => ({
  id,
  pipeline,
  params: '{}',
  trigger: 'schedule',
  owner: `box:${id.slice(0, 4)}`,
  atMs: 1_700_000_000_000,
  tasks: ['only'],
});

describePerBackend('no overlapping runs of one pipeline', (backend) => {
  // Two connections to one database stand for two processes (two schedulers, or a scheduler and the CLI).
  // SQLite is the exception: two connections in one thread would wait on each other's write lock
  // while holding the thread, so both sides share the one connection, which serialises their
  // transactions just as the file lock serialises two processes'.
  let first: Store;
  let second: Store;
  beforeAll(async () => {
    const url = await backend.freshUrl();
    first = await openStore(url);
    await migrateStore(first);
    second = backend.name === 'postgres' ? await openStore(url) : first;
  });
  afterAll(async () => {
    if (second !== first) await second.close();
    await first.close();
    await backend.cleanup();
  });

  it('lets exactly one of two concurrent createRun calls win, and names the winner to the loser', async () => {
    const a = new PipelineRunRepository(first);
    const b = new PipelineRunRepository(second);
    const outcomes = await Promise.allSettled([
      a.createRun(newRun('aaaaaaaa-0000-4000-8000-000000000001', 'weekly')),
      b.createRun(newRun('bbbbbbbb-0000-4000-8000-000000000002', 'weekly')),
    ]);
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const error = lost[0]!.reason as TipsterError;
    expect(isTipsterError(error, 'TIPSTER_ERR_PIPELINE_ALREADY_RUNNING')).toBe(true);
    const winner = outcomes[0]!.status === 'fulfilled' ? 'aaaaaaaa-0000-4000-8000-000000000001' : 'bbbbbbbb-0000-4000-8000-000000000002';
    expect(error.message).toBe(`Pipeline "weekly" already has an active run (${winner}, queued); runs of one pipeline never overlap`);
    expect(error.hint).toContain(`tipster pipeline show ${winner}`);
    // The loser left nothing behind.
    const rows = await first.db.selectFrom('pipeline_runs').select('id').where('pipeline', '=', 'weekly').execute();
    expect(rows.map((r) => r.id)).toEqual([winner]);
    const tasks = await first.db.selectFrom('task_runs').select('run_id').execute();
    expect(tasks.map((t) => t.run_id)).toEqual([winner]);

    // Another pipeline is not blocked, and once the run finishes the pipeline may run again.
    await a.createRun(newRun('cccccccc-0000-4000-8000-000000000003', 'daily'));
    await a.startRun(winner, 1_700_000_000_100);
    await a.finishRun(winner, 1_700_000_000_200, null);
    await b.createRun(newRun('dddddddd-0000-4000-8000-000000000004', 'weekly'));
  });

  it('refuses runPipeline while the same pipeline runs elsewhere, and the refused run leaves no record', async () => {
    let release!: () => void;
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    const pipeline = definePipeline({
      name: 'retrain',
      description: '',
      tasks: [
        {
          name: 'fit',
          run: async () => {
            started();
            await gate;
            return 'fitted';
          },
        },
      ],
    });
    const long = runPipeline(first, pipeline, { trigger: 'schedule' });
    await running;
    const refused = await runPipeline(second, pipeline, { trigger: 'manual' }).catch((e: unknown) => e);
    expect(isTipsterError(refused, 'TIPSTER_ERR_PIPELINE_ALREADY_RUNNING')).toBe(true);
    expect((refused as TipsterError).message).toContain(', running)');
    release();
    const done = await long;
    expect(done.status).toBe('succeeded');
    expect((refused as TipsterError).params.runId).toBe(done.id);
    const runs = await first.db.selectFrom('pipeline_runs').select('trigger').where('pipeline', '=', 'retrain').execute();
    expect(runs.map((r) => r.trigger)).toEqual(['schedule']);
    expect((await runPipeline(second, pipeline, { trigger: 'manual' })).status).toBe('succeeded');
  });
});
