import type { Config } from '../core/config.js';
import { TipsterError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Store } from '../store/store.js';
import type { Pipeline } from './define-pipeline.js';

/** What pipeline factories are built from: the open store, the configuration and a logger. */
export interface PipelineDeps {
  readonly store: Store;
  readonly config: Config;
  readonly logger: Logger;
}

/** A cron schedule: five or six croner fields, evaluated in an IANA time zone. */
export interface PipelineSchedule {
  readonly cron: string;
  readonly timezone: string;
}

/** Why a scheduled run should or should not start now, in words a person can read in the run history. */
export interface ConditionResult {
  readonly proceed: boolean;
  readonly reason: string;
}

/** One pipeline the product knows: its DAG, when it runs by itself, and what must hold before it does. */
export interface CatalogueEntry {
  readonly pipeline: Pipeline;
  /** Absent: runs only when triggered (CLI, API, start-up). */
  readonly schedule?: PipelineSchedule;
  /** Checked before a scheduled run starts (e.g. "at least N new labels since the last training"). */
  readonly condition?: (params: Readonly<Record<string, unknown>>) => Promise<ConditionResult>;
}

/** Every pipeline of one process, by name. Workers build the same catalogue to find a task's code. */
export class PipelineCatalogue {
  readonly #entries = new Map<string, CatalogueEntry>();

  constructor(entries: readonly CatalogueEntry[]) {
    for (const entry of entries) {
      if (this.#entries.has(entry.pipeline.name)) {
        throw new TipsterError('TIPSTER_ERR_PIPELINE_DEFINITION_INVALID', {
          pipeline: entry.pipeline.name,
          detail: 'two pipelines share this name',
        });
      }
      this.#entries.set(entry.pipeline.name, entry);
    }
  }

  /** Entries in name order. */
  list(): CatalogueEntry[] {
    return [...this.#entries.values()].sort((a, b) => a.pipeline.name.localeCompare(b.pipeline.name));
  }

  /** The entry named `name`, or a clear error listing the names that exist. */
  get(name: string): CatalogueEntry {
    const entry = this.#entries.get(name);
    if (entry === undefined) {
      throw new TipsterError('TIPSTER_ERR_PIPELINE_NOT_FOUND', {
        pipeline: name,
        known: [...this.#entries.keys()].sort().join(', ') || '(none)',
      });
    }
    return entry;
  }

  has(name: string): boolean {
    return this.#entries.has(name);
  }
}
