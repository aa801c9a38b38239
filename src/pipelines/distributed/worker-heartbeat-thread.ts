import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** What the thread reports back. */
type ThreadMessage = { type: 'beat' } | { type: 'error'; message: string };

// Plain CommonJS so it runs the same from dist/ and from source under tsx. It owns its own one-connection
// pool (which reconnects after a lost connection) and beats until told to stop.
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const pg = require(workerData.pgPath);
const pool = new pg.Pool({ connectionString: workerData.connectionString, max: 1, application_name: 'tipster-worker-heartbeat' });
pool.on('error', () => {});
let stopping = false;
let wake = null;
parentPort.on('message', (message) => {
  if (message === 'stop') { stopping = true; if (wake) wake(); }
});
(async () => {
  while (!stopping) {
    const startedAt = Date.now();
    try {
      await pool.query('update pipeline_workers set heartbeat_at_ms = $1 where id = $2', [startedAt, workerData.workerId]);
      parentPort.postMessage({ type: 'beat' });
    } catch (error) {
      parentPort.postMessage({ type: 'error', message: String(error && error.message || error) });
    }
    const waitMs = Math.max(0, workerData.intervalMs - (Date.now() - startedAt));
    await new Promise((resolve) => { wake = resolve; setTimeout(resolve, waitMs); });
    wake = null;
  }
  await pool.end().catch(() => {});
  parentPort.close();
})();
`;

/**
 * Beats a worker's heartbeat from a thread of its own. A task that keeps the main event loop busy
 * (a long synchronous model fit) must not make its worker look dead, so the beat does not wait for
 * that loop; it stops only when the process dies or the worker shuts down.
 */
export class WorkerHeartbeatThread {
  readonly #thread: Worker;
  readonly #stopped: Promise<void>;

  private constructor(thread: Worker, stopped: Promise<void>) {
    this.#thread = thread;
    this.#stopped = stopped;
  }

  /** Starts beating every `intervalMs`; resolves after the first beat is stored, rejects if it cannot be. */
  static start(options: {
    connectionString: string;
    workerId: string;
    intervalMs: number;
    onError: (message: string) => void;
  }): Promise<WorkerHeartbeatThread> {
    const pgPath = createRequire(import.meta.url).resolve('pg');
    const thread = new Worker(THREAD_SOURCE, {
      eval: true,
      workerData: { pgPath, connectionString: options.connectionString, workerId: options.workerId, intervalMs: options.intervalMs },
    });
    // The beat must never keep a process alive that has nothing else to do: that would be a dead worker that looks alive.
    thread.unref();
    let resolveStopped!: () => void;
    const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
    thread.on('exit', () => resolveStopped());
    return new Promise((resolve, reject) => {
      let first = true;
      thread.on('message', (message: ThreadMessage) => {
        if (message.type === 'beat' && first) {
          first = false;
          resolve(new WorkerHeartbeatThread(thread, stopped));
        } else if (message.type === 'error') {
          if (first) {
            first = false;
            void thread.terminate();
            reject(new Error(`the worker heartbeat could not be stored: ${message.message}`));
          } else {
            options.onError(message.message);
          }
        }
      });
      thread.on('error', (error) => {
        if (first) {
          first = false;
          reject(error);
        } else {
          options.onError(error.message);
        }
      });
    });
  }

  /** Stops beating and waits for the thread to close its connection and exit. */
  async stop(): Promise<void> {
    this.#thread.postMessage('stop');
    // A thread wedged on a dead connection must not hold the shutdown up.
    const timer = setTimeout(() => void this.#thread.terminate(), 5000);
    await this.#stopped;
    clearTimeout(timer);
  }
}
