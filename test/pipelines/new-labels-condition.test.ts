import { afterAll, beforeAll, expect, it } from 'vitest';
import { isTipsterError } from '../../src/core/errors.js';
import { definePipeline } from '../../src/pipelines/define-pipeline.js';
import { newLabelsCondition } from '../../src/pipelines/new-labels-condition.js';
import { runPipeline } from '../../src/pipelines/run-pipeline.js';
import type { Store } from '../../src/store/store.js';
import { describePerBackend, freshStore } from '../support/backends.js';

describePerBackend('run condition: at least N new labels since the last successful run', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await freshStore(backend);
  });
  afterAll(async () => {
    await store.close();
    await backend.cleanup();
  });

  it('counts from the start of the last successful run, ignoring failed runs and other pipelines', async () => {
    // Labels as (labelledAtMs) in a fake table; the counter is all the condition knows of them.
    const labelledAtMs: number[] = [];
    const asked: (number | null)[] = [];
    const condition = newLabelsCondition({
      store,
      pipeline: 'nba-retrain',
      minNewLabels: 3,
      noun: 'labelled shots',
      countLabelledAfter: async (afterMs) => {
        asked.push(afterMs);
        return labelledAtMs.filter((t) => afterMs === null || t > afterMs).length;
      },
    });
    const train = (name: string, fail = false) =>
      definePipeline({
        name,
        description: '',
        tasks: [
          {
            name: 'fit',
            run: async () => {
              if (fail) throw new Error('diverged');
              return 'model';
            },
          },
        ],
      });

    labelledAtMs.push(1_000, 2_000);
    expect(await condition({})).toEqual({ proceed: false, reason: 'only 2 labelled shots in total (no successful nba-retrain run yet); at least 3 needed' });
    labelledAtMs.push(3_000);
    expect(await condition({})).toEqual({ proceed: true, reason: '3 labelled shots in total (no successful nba-retrain run yet); at least 3 needed' });

    const trained = await runPipeline(store, train('nba-retrain'), { trigger: 'schedule', now: () => 3_500 });
    expect(trained.status).toBe('succeeded');
    labelledAtMs.push(4_000, 5_000);
    const since = `since the last successful nba-retrain run (${trained.id.slice(0, 8)}, started 1970-01-01T00:00:03.500Z)`;
    expect(await condition({})).toEqual({ proceed: false, reason: `only 2 new labelled shots ${since}; at least 3 needed` });

    // A failed run, and runs of other pipelines, do not move "since".
    expect((await runPipeline(store, train('nba-retrain', true), { trigger: 'schedule', now: () => 5_500 })).status).toBe('failed');
    await runPipeline(store, train('football-retrain'), { trigger: 'schedule', now: () => 5_600 });
    labelledAtMs.push(6_000);
    expect(await condition({})).toEqual({ proceed: true, reason: `3 new labelled shots ${since}; at least 3 needed` });
    expect(asked).toEqual([null, null, 3_500, 3_500]);
  });

  it('refuses a threshold that is not a whole number of at least 1', () => {
    for (const minNewLabels of [0, 2.5, Number.NaN]) {
      let error: unknown;
      try {
        newLabelsCondition({ store, pipeline: 'x', minNewLabels, countLabelledAfter: async () => 0 });
      } catch (e) {
        error = e;
      }
      expect(isTipsterError(error, 'TIPSTER_ERR_PIPELINE_OPTION_INVALID')).toBe(true);
    }
  });
});
