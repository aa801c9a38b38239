import { TipsterError } from '../core/errors.js';
import type { Store } from '../store/store.js';
import type { ConditionResult } from './pipeline-catalogue.js';

/** How a "retrain on enough new labels" condition is built. */
export interface NewLabelsConditionOptions {
  readonly store: Store;
  /** The pipeline whose last successful run marks "since". */
  readonly pipeline: string;
  /** Fewest new labelled rows that justify a run (a whole number ≥ 1). */
  readonly minNewLabels: number;
  /**
   * Counts labelled rows that became labelled after `afterMs`; `null` means there has been no
   * successful run yet, so count every labelled row.
   */
  readonly countLabelledAfter: (afterMs: number | null) => Promise<number>;
  /** What a row is, for the reason text (default "labelled rows"). */
  readonly noun?: string;
}

/**
 * A run condition: proceed only when at least `minNewLabels` rows were labelled since the last
 * successful run of the pipeline began. Counting from the run's start, not its end, means labels
 * that arrived while it ran are counted again next time: at worst one retrain too many, never a
 * label missed.
 */
export function newLabelsCondition(options: NewLabelsConditionOptions): (params: Readonly<Record<string, unknown>>) => Promise<ConditionResult> {
  const { store, pipeline, minNewLabels, countLabelledAfter } = options;
  if (!Number.isInteger(minNewLabels) || minNewLabels < 1) {
    throw new TipsterError('TIPSTER_ERR_PIPELINE_OPTION_INVALID', {
      detail: `minNewLabels of pipeline "${pipeline}" must be a whole number ≥ 1, got ${minNewLabels}`,
    });
  }
  const noun = options.noun ?? 'labelled rows';
  return async function atLeastNewLabels() {
    const last = await store.db
      .selectFrom('pipeline_runs')
      .select(['id', 'started_at_ms', 'created_at_ms'])
      .where('pipeline', '=', pipeline)
      .where('status', '=', 'succeeded')
      .orderBy('created_at_ms', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    const sinceMs = last === undefined ? null : (last.started_at_ms ?? last.created_at_ms);
    const count = await countLabelledAfter(sinceMs);
    const counted =
      last === undefined || sinceMs === null
        ? `${count} ${noun} in total (no successful ${pipeline} run yet)`
        : `${count} new ${noun} since the last successful ${pipeline} run (${last.id.slice(0, 8)}, started ${new Date(sinceMs).toISOString()})`;
    return count >= minNewLabels
      ? { proceed: true, reason: `${counted}; at least ${minNewLabels} needed` }
      : { proceed: false, reason: `only ${counted}; at least ${minNewLabels} needed` };
  };
}
