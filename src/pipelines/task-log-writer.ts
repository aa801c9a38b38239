import type { TaskLogger } from './define-pipeline.js';
import type { PipelineRunRepository } from './pipeline-run-repository.js';
import type { TaskLogLevel } from './pipeline-statuses.js';

/**
 * The logger one task attempt writes through. Calls return at once (a task should not await its logging);
 * lines are written in order, one after another, and `close` waits for them. Lines logged after the
 * attempt ended (a timed-out task still running) are dropped: they belong to no attempt anymore.
 */
export class TaskLogWriter {
  readonly logger: TaskLogger;
  #seq = 0;
  #closed = false;
  #chain: Promise<void> = Promise.resolve();
  #error: unknown = undefined;

  constructor(
    repository: PipelineRunRepository,
    where: { runId: string; task: string; attempt: number },
    now: () => number,
  ) {
    const write = (level: TaskLogLevel) => (message: string) => {
      if (this.#closed) return;
      const line = { ...where, seq: ++this.#seq, atMs: now(), level, message: String(message) };
      this.#chain = this.#chain
        .then(() => repository.appendLog(line))
        .catch((error: unknown) => {
          this.#error ??= error;
        });
    };
    this.logger = Object.freeze({ debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') });
  }

  /** Stops accepting lines and waits until every accepted line is stored; rethrows the first failed write. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#chain;
    if (this.#error !== undefined) throw this.#error;
  }
}
