import type { TaskLogger } from './define-pipeline.js';
import type { TaskLogLevel } from './pipeline-statuses.js';

/** One stored log line of a task attempt. */
export interface TaskLogLineRow {
  readonly runId: string;
  readonly task: string;
  readonly attempt: number;
  readonly seq: number;
  readonly atMs: number;
  readonly level: TaskLogLevel;
  readonly message: string;
}

/**
 * Where lines go. Returning false refuses the line and every later one: a worker's sink does so once
 * its attempt has been handed to another worker, so a process presumed dead cannot write over it.
 */
export interface TaskLogSink {
  appendLog(line: TaskLogLineRow): Promise<boolean | void>;
}

/**
 * The logger one task attempt writes through. Calls return at once (a task should not await its logging);
 * lines are written in order, one after another, and `close` waits for them. Lines logged after the
 * attempt ended (a timed-out task still running) are dropped: they belong to no attempt anymore.
 */
export class TaskLogWriter {
  readonly logger: TaskLogger;
  #seq: number;
  #lastStoredSeq: number;
  #closed = false;
  #refused = false;
  #chain: Promise<void> = Promise.resolve();
  #error: unknown = undefined;

  /** `firstSeq` (default 1) lets the coordinator add notes after the lines an attempt already stored. */
  constructor(
    sink: TaskLogSink,
    where: { runId: string; task: string; attempt: number },
    now: () => number,
    options: { firstSeq?: number } = {},
  ) {
    this.#seq = (options.firstSeq ?? 1) - 1;
    this.#lastStoredSeq = this.#seq;
    const write = (level: TaskLogLevel) => (message: string) => {
      if (this.#closed) return;
      const line = { ...where, seq: ++this.#seq, atMs: now(), level, message: String(message) };
      this.#chain = this.#chain
        .then(async () => {
          if (this.#refused) return;
          if ((await sink.appendLog(line)) === false) {
            // Refused: nothing after it may land either, or the stored lines would have a gap.
            this.#refused = true;
            this.#closed = true;
            return;
          }
          this.#lastStoredSeq = line.seq;
        })
        .catch((error: unknown) => {
          this.#error ??= error;
        });
    };
    this.logger = Object.freeze({ debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') });
  }

  /** The seq of the last line stored so far (firstSeq − 1 when none). */
  get lastStoredSeq(): number {
    return this.#lastStoredSeq;
  }

  /** Stops accepting lines and waits until every accepted line is stored; rethrows the first failed write. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#chain;
    if (this.#error !== undefined) throw this.#error;
  }
}
