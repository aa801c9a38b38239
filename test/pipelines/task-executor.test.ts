import { afterAll, beforeAll, expect, it } from 'vitest';
import { definePipeline } from '../../src/pipelines/define-pipeline.js';
import { InProcessTaskExecutor } from '../../src/pipelines/in-process-task-executor.js';
import { PipelineRunRepository } from '../../src/pipelines/pipeline-run-repository.js';
import { runPipeline } from '../../src/pipelines/run-pipeline.js';
import type { AttemptResult, TaskAttempt, TaskExecutor } from '../../src/pipelines/task-executor.js';
import type { Store } from '../../src/store/store.js';
import { describePerBackend, freshStore } from '../support/backends.js';

/** Plays a remote executor: each attempt stores a few lines, then ends as the script says. */
class ScriptedExecutor implements TaskExecutor {
  readonly kind = 'workers' as const;
  readonly attempts: { task: string; attempt: number; upstream: unknown }[] = [];
  readonly #repository: PipelineRunRepository;
  readonly #script: (attempt: TaskAttempt) => AttemptResult | 'run';
  readonly #here: InProcessTaskExecutor;

  constructor(store: Store, script: (attempt: TaskAttempt) => AttemptResult | 'run') {
    this.#repository = new PipelineRunRepository(store);
    this.#here = new InProcessTaskExecutor(store);
    this.#script = script;
  }

  async runAttempt(attempt: TaskAttempt): Promise<AttemptResult> {
    this.attempts.push({ task: attempt.task.name, attempt: attempt.attempt, upstream: JSON.parse(attempt.upstreamJson) });
    const outcome = this.#script(attempt);
    if (outcome === 'run') return this.#here.runAttempt(attempt);
    for (let seq = 1; seq <= outcome.lastLogSeq; seq++) {
      await this.#repository.appendLog({
        runId: attempt.runId,
        task: attempt.task.name,
        attempt: attempt.attempt,
        seq,
        atMs: attempt.now(),
        level: 'info',
        message: `worker line ${seq}`,
      });
    }
    return outcome;
  }

  async close(): Promise<void> {}
}

describePerBackend('task executor seam', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await freshStore(backend);
  });
  afterAll(async () => {
    await store.close();
    await backend.cleanup();
  });

  it('starts a lost attempt again without using up a retry, numbering its notes after the lines it stored', async () => {
    const pipeline = definePipeline({
      name: 'lost-once',
      description: '',
      tasks: [
        { name: 'fit', run: async () => 'unused' },
        { name: 'report', dependsOn: ['fit'], run: async (ctx) => ctx.upstream },
      ],
    });
    const executor = new ScriptedExecutor(store, (a) => {
      if (a.task.name === 'fit' && a.attempt === 1) return { ok: false, lost: true, error: new Error('worker w1 stopped heartbeating'), lastLogSeq: 2 };
      if (a.task.name === 'fit') return { ok: true, outputJson: '{"rows":3}', lastLogSeq: 1 };
      return 'run';
    });
    const run = await runPipeline(store, pipeline, { trigger: 'manual', executor });

    expect(run.status).toBe('succeeded');
    const [fit, report] = run.tasks;
    // No retries were configured, yet the lost attempt was started again.
    expect(fit).toMatchObject({ status: 'succeeded', attempt: 2, error: null, output: { rows: 3 } });
    expect(report).toMatchObject({ status: 'succeeded', attempt: 1, output: { fit: { rows: 3 } } });
    expect(fit!.logs.map((l) => [l.attempt, l.seq, l.level, l.message])).toEqual([
      [1, 1, 'info', 'worker line 1'],
      [1, 2, 'info', 'worker line 2'],
      [1, 3, 'warn', 'attempt 1 lost: worker w1 stopped heartbeating; starting it again (a lost attempt does not use up a retry)'],
      [2, 1, 'info', 'worker line 1'],
    ]);
    expect(executor.attempts.map((a) => `${a.task}#${a.attempt}`)).toEqual(['fit#1', 'fit#2', 'report#1']);
  });

  it('fails a task whose attempts keep being lost, after three losses and its retries', async () => {
    const pipeline = definePipeline({
      name: 'always-lost',
      description: '',
      tasks: [{ name: 'oom', retries: 1, retryBackoffMs: 0, run: async () => null }],
    });
    const executor = new ScriptedExecutor(store, () => ({ ok: false, lost: true, error: new Error('worker killed'), lastLogSeq: 0 }));
    const run = await runPipeline(store, pipeline, { trigger: 'manual', executor });

    expect(run.status).toBe('failed');
    // Three losses are started again for free; the fourth counts as a failure and uses the one retry.
    expect(run.tasks[0]).toMatchObject({ status: 'failed', attempt: 5, error: 'worker killed' });
    expect(run.tasks[0]!.logs.map((l) => [l.attempt, l.level])).toEqual([
      [1, 'warn'],
      [2, 'warn'],
      [3, 'warn'],
      [4, 'error'],
      [4, 'warn'],
      [5, 'error'],
    ]);
  });

  it('counts retries and their backoff by failures only, around a lost attempt', async () => {
    const delays: number[] = [];
    const pipeline = definePipeline({
      name: 'fail-lose-fail',
      description: '',
      tasks: [{ name: 'download', retries: 2, retryBackoffMs: 10, run: async () => null }],
    });
    const executor = new ScriptedExecutor(store, (a) => {
      if (a.attempt === 2) return { ok: false, lost: true, error: new Error('released'), lastLogSeq: 0 };
      if (a.attempt < 4) return { ok: false, error: new Error(`HTTP 503 (${a.attempt})`), lastLogSeq: 0 };
      return { ok: true, outputJson: '"done"', lastLogSeq: 0 };
    });
    const run = await runPipeline(store, pipeline, {
      trigger: 'manual',
      executor,
      sleep: async (ms) => {
        delays.push(ms);
      },
    });
    expect(run.tasks[0]).toMatchObject({ status: 'succeeded', attempt: 4, output: 'done' });
    // Failures 1 and 2 (attempts 1 and 3) wait 10 then 20 ms; the loss in between waits nothing.
    expect(delays).toEqual([10, 20]);
  });
});
