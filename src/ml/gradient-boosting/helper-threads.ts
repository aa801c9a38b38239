import { Worker } from 'node:worker_threads';
import { binaryGradientRows, type GradientKernel, softmaxGradientRows } from './gradient-kernels.js';
import { accumulateRowsByBin, accumulateRowsByOffset, HISTOGRAM_STRIDE } from './histogram-kernels.js';

/**
 * Large histograms are built as ROW_CHUNKS partial histograms over consecutive row ranges and
 * summed in chunk order, and gradients are computed in the same row chunks. The split never
 * depends on who computes a chunk, so a model is bit-identical whatever the thread count and
 * however the chunks were shared out.
 */
export const ROW_CHUNKS = 2;

/** Builds with fewer cells (rows × features) than this run as one piece: splitting costs more than it saves. */
export const CHUNKED_MIN_CELLS = 1 << 16;

/**
 * Helper threads cost a worker start-up (~30 ms) per fit, so fits on fewer cells (rows × features)
 * than this run on the calling thread alone; e.g. a league's few thousand matches never spawn one.
 */
export const PARALLEL_MIN_CELLS = 1 << 18;

/** First row of chunk `chunk` of [start, end). */
export function chunkStart(start: number, end: number, chunk: number): number {
  return start + Math.floor(((end - start) * chunk) / ROW_CHUNKS);
}

/** What a job computes: one histogram's row chunks, or the gradients of all rows. */
export const HELPER_JOBS = ['histogram', 'gradients'] as const;
/** One of HELPER_JOBS. */
export type HelperJob = (typeof HELPER_JOBS)[number];

// Control block layout (Int32Array over shared memory).
const JOB = 0;
const USE_INDICES = 1;
const START = 2;
const END = 3;
const GRADIENT_OFFSET = 4;
const HESSIAN_OFFSET = 5;
const FAILED = 6;
const KIND = 7;
const READY = 8; // + helper index
/** CLAIM + c holds job J while chunk c of job J is unclaimed and −J once someone took it. */
const CLAIM = 16;
/** DONE + c holds J once chunk c of job J is finished by a helper. */
const DONE = 24;
const CONTROL_SIZE = 32;
/** A claimed chunk not finished for this long means a broken helper; better to fail than to hang. */
const WAIT_LIMIT_MS = 60_000;

/**
 * The arrays a fit shares between the boosting loop, the tree grower and helper threads (see
 * createTrainingMemory). With helpers, every array must live in a SharedArrayBuffer.
 */
export interface TrainingMemory {
  readonly rows: number;
  readonly features: number;
  readonly binsPerFeature: number;
  /** Row-major histogram offsets, or null when the builder computes them from `binned`. */
  readonly offsets: Uint16Array | null;
  readonly binned: Uint8Array;
  readonly partition: Int32Array;
  /** All gradients/hessians (every class); jobs name the class by element offset. */
  readonly gradients: Float64Array;
  readonly hessians: Float64Array;
  /** One partial histogram per chunk 1 … ROW_CHUNKS−1 (chunk 0 goes straight into the node's slot). */
  readonly partials: readonly Float64Array[];
  /** Raw scores the gradients are taken at (class-major, like gradients). */
  readonly raw: Float64Array;
  readonly labels: Int32Array;
  readonly weights: Float64Array | null;
  readonly gradientKernel: GradientKernel;
}

/**
 * The helper's program. The kernels are the very functions the main thread runs, inserted from
 * their source text, so there is no second copy to keep in step. (Coverage tools that instrument
 * function bodies would break this; V8 coverage does not.)
 */
function helperSource(): string {
  return `'use strict';
const { workerData } = require('node:worker_threads');
const HISTOGRAM_STRIDE = ${HISTOGRAM_STRIDE};
${accumulateRowsByOffset.toString()}
${accumulateRowsByBin.toString()}
${binaryGradientRows.toString()}
${softmaxGradientRows.toString()}
const { control, index, memory } = workerData;
const { rows, features, binsPerFeature, offsets, binned, partition, gradients, hessians, partials, raw, labels, weights } = memory;
const gradientRows = memory.gradientKernel === 'binary' ? binaryGradientRows : softmaxGradientRows;
const views = new Map();
function view(array, offset) {
  const key = (array === gradients ? 'g' : 'h') + offset;
  let found = views.get(key);
  if (found === undefined) {
    found = array.subarray(offset, offset + rows);
    views.set(key, found);
  }
  return found;
}
Atomics.store(control, ${READY} + index, 1);
let seen = 0;
for (;;) {
  Atomics.wait(control, ${JOB}, seen);
  const job = Atomics.load(control, ${JOB});
  if (job < 0) break;
  if (job === seen) continue;
  seen = job;
  const gradientJob = Atomics.load(control, ${KIND}) === 1;
  const indices = Atomics.load(control, ${USE_INDICES}) === 1 ? partition : null;
  const start = Atomics.load(control, ${START});
  const end = Atomics.load(control, ${END});
  const g = view(gradients, Atomics.load(control, ${GRADIENT_OFFSET}));
  const h = view(hessians, Atomics.load(control, ${HESSIAN_OFFSET}));
  // Take chunks from the last one down while the caller takes them from the first one up.
  for (let chunk = ${ROW_CHUNKS} - 1; chunk >= 1; chunk--) {
    if (Atomics.compareExchange(control, ${CLAIM} + chunk, job, -job) !== job) continue;
    try {
      const from = start + Math.floor(((end - start) * chunk) / ${ROW_CHUNKS});
      const to = start + Math.floor(((end - start) * (chunk + 1)) / ${ROW_CHUNKS});
      if (gradientJob) {
        gradientRows(raw, labels, weights, gradients, hessians, from, to);
      } else {
        const target = partials[chunk - 1];
        target.fill(0);
        if (offsets !== null) accumulateRowsByOffset(target, offsets, features, from, to, indices, g, h);
        else accumulateRowsByBin(target, binned, features, binsPerFeature, from, to, indices, g, h);
      }
    } catch (error) {
      Atomics.store(control, ${FAILED}, 1);
    }
    Atomics.store(control, ${DONE} + chunk, job);
    Atomics.notify(control, ${DONE} + chunk);
  }
}
`;
}

/**
 * Helper threads that build row chunks of large histograms, and compute row chunks of the
 * gradients, alongside the calling thread. Chunks are claimed atomically: the caller builds chunk 0, then every chunk no helper has claimed yet,
 * and waits only for chunks a helper is already working on. So a helper that is slow to wake (a
 * busy machine) costs nothing, and fitting stays synchronous.
 */
export class HelperThreads {
  readonly threads: number;
  readonly #control: Int32Array;
  readonly #workers: Worker[] = [];
  #job = 0;
  #closed = false;

  constructor(threads: number, memory: TrainingMemory) {
    this.threads = threads;
    this.#control = new Int32Array(new SharedArrayBuffer(CONTROL_SIZE * Int32Array.BYTES_PER_ELEMENT));
    const source = helperSource();
    for (let index = 1; index < threads; index++) {
      const worker = new Worker(source, { eval: true, workerData: { control: this.#control, index, memory } });
      // A helper that fails to start never claims a chunk, so nothing waits for it.
      worker.on('error', () => undefined);
      worker.unref();
      this.#workers.push(worker);
    }
  }

  /** True when every helper is running. */
  get ready(): boolean {
    for (let index = 1; index < this.threads; index++) if (Atomics.load(this.#control, READY + index) !== 1) return false;
    return this.threads > 1 && !this.#closed;
  }

  /**
   * Opens a job on rows [start, end) (partition indices when `useIndices`); for a histogram,
   * `gradients`/`hessians` are the views (into the shared arrays) of the tree's class. Chunks
   * 1 … ROW_CHUNKS−1 become claimable.
   */
  dispatch(
    kind: HelperJob,
    useIndices: boolean,
    start: number,
    end: number,
    gradients: Float64Array,
    hessians: Float64Array,
  ): void {
    const c = this.#control;
    this.#job = this.#job === 0x3fffffff ? 1 : this.#job + 1;
    const job = this.#job;
    Atomics.store(c, KIND, kind === 'gradients' ? 1 : 0);
    Atomics.store(c, USE_INDICES, useIndices ? 1 : 0);
    Atomics.store(c, START, start);
    Atomics.store(c, END, end);
    Atomics.store(c, GRADIENT_OFFSET, gradients.byteOffset / Float64Array.BYTES_PER_ELEMENT);
    Atomics.store(c, HESSIAN_OFFSET, hessians.byteOffset / Float64Array.BYTES_PER_ELEMENT);
    for (let chunk = 1; chunk < ROW_CHUNKS; chunk++) Atomics.store(c, CLAIM + chunk, job);
    Atomics.store(c, JOB, job);
    Atomics.notify(c, JOB);
  }

  /** Claims chunk `chunk` of the current job for the caller; false when a helper already has it. */
  claim(chunk: number): boolean {
    return Atomics.compareExchange(this.#control, CLAIM + chunk, this.#job, -this.#job) === this.#job;
  }

  /** Blocks until the helper that claimed chunk `chunk` of the current job has finished it. */
  waitFor(chunk: number): void {
    const c = this.#control;
    const deadline = Date.now() + WAIT_LIMIT_MS;
    for (;;) {
      const done = Atomics.load(c, DONE + chunk);
      if (done === this.#job) break;
      if (Date.now() > deadline) throw new Error(`A histogram helper thread did not finish chunk ${chunk} within ${WAIT_LIMIT_MS} ms`);
      Atomics.wait(c, DONE + chunk, done, 1000);
    }
    if (Atomics.load(c, FAILED) !== 0) throw new Error('A histogram helper thread failed');
  }

  /** Stops the helpers (they exit on their own; nothing waits for them). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    Atomics.store(this.#control, JOB, -1);
    Atomics.notify(this.#control, JOB);
  }
}
