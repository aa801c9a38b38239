import { argmaxRow } from './accuracy.js';
import { CompensatedSum } from '../../numeric/compensated-sum.js';
import { validateProbabilityRows } from './validate-probability-rows.js';

/** How bin edges are chosen: equal-width on [0, 1], or equal-count quantiles of the predicted values. */
export const BIN_STRATEGIES = ['uniform', 'quantile'] as const;
/** One of BIN_STRATEGIES. */
export type BinStrategy = (typeof BIN_STRATEGIES)[number];

const binStrategySet: ReadonlySet<string> = new Set(BIN_STRATEGIES);

/** True when `value` is one of BIN_STRATEGIES. */
export function isBinStrategy(value: string): value is BinStrategy {
  return binStrategySet.has(value);
}

/**
 * What a reliability table calibrates: a class index (one-vs-rest: its probability against
 * "was it that class") or `top-label` (the top probability against "was the favourite right").
 */
export type ReliabilityTarget = number | 'top-label';

/** Binning options shared by reliability tables and the expected calibration error. */
export interface BinningOptions {
  /** Number of bins, default 10. */
  readonly bins?: number;
  /** Default `uniform`. */
  readonly strategy?: BinStrategy;
}

/** One bin: forecasts with lower ≤ p < upper (the last bin also holds p = upper). */
export interface ReliabilityBin {
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
  /** Mean predicted probability in the bin; null when the bin is empty. */
  readonly meanPredicted: number | null;
  /** Share of the bin's rows where the event happened; null when the bin is empty. */
  readonly observedFrequency: number | null;
}

/** A reliability (calibration) diagram as numbers. */
export interface ReliabilityTable {
  readonly target: ReliabilityTarget;
  readonly strategy: BinStrategy;
  /** Rows binned; every row lands in exactly one bin. */
  readonly rows: number;
  readonly bins: readonly ReliabilityBin[];
}

/** Checks and fills in binning defaults once, so a typo'd strategy fails loudly. */
export function resolveBinning(options: BinningOptions): { bins: number; strategy: BinStrategy } {
  const bins = options.bins ?? 10;
  const strategy = options.strategy ?? 'uniform';
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be a positive integer, got ${bins}`);
  if (!isBinStrategy(strategy)) throw new RangeError(`Unknown bin strategy "${String(strategy)}"`);
  return { bins, strategy };
}

/**
 * Numpy's `quantile(..., method='linear')` on sorted values, including its two-sided lerp, so
 * quantile edges agree bit for bit with the reference and ties at an edge bin the same way.
 */
function linearQuantile(sorted: Float64Array, q: number): number {
  const last = sorted.length - 1;
  const virtualIndex = last * q;
  const below = Math.floor(virtualIndex);
  const above = below + 1 > last ? last : below + 1;
  const gamma = virtualIndex - below;
  const a = sorted[below]!;
  const b = sorted[above]!;
  const diff = b - a;
  return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
}

/** Bin edges (length bins + 1) for the given predicted values. */
function binEdges(predicted: Float64Array, bins: number, strategy: BinStrategy): Float64Array {
  const edges = new Float64Array(bins + 1);
  if (strategy === 'uniform') {
    for (let i = 0; i <= bins; i++) edges[i] = i / bins;
    return edges;
  }
  const sorted = Float64Array.from(predicted).sort();
  for (let i = 0; i <= bins; i++) edges[i] = linearQuantile(sorted, i / bins);
  return edges;
}

/** Bin of `p`: the number of inner edges ≤ p (numpy searchsorted side='right'), so bins are left-closed. */
function binOf(edges: Float64Array, bins: number, p: number): number {
  let low = 1;
  let high = bins; // inner edges are edges[1 .. bins-1]; answer is in [0, bins-1]
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (edges[mid]! <= p) low = mid + 1;
    else high = mid;
  }
  return low - 1;
}

/** Builds the table from per-row predicted probabilities and 0/1 events. */
function tabulate(
  predicted: Float64Array,
  happened: Uint8Array,
  target: ReliabilityTarget,
  bins: number,
  strategy: BinStrategy,
): ReliabilityTable {
  const edges = binEdges(predicted, bins, strategy);
  const counts = new Int32Array(bins);
  const events = new Int32Array(bins);
  const sums: CompensatedSum[] = [];
  for (let b = 0; b < bins; b++) sums.push(new CompensatedSum());
  for (let row = 0; row < predicted.length; row++) {
    const p = predicted[row]!;
    const bin = binOf(edges, bins, p);
    counts[bin]!++;
    events[bin]! += happened[row]!;
    sums[bin]!.add(p);
  }
  const table: ReliabilityBin[] = [];
  for (let b = 0; b < bins; b++) {
    const count = counts[b]!;
    table.push(
      Object.freeze({
        lower: edges[b]!,
        upper: edges[b + 1]!,
        count,
        meanPredicted: count === 0 ? null : sums[b]!.value / count,
        observedFrequency: count === 0 ? null : events[b]! / count,
      }),
    );
  }
  return Object.freeze({ target, strategy, rows: predicted.length, bins: Object.freeze(table) });
}

/** Reads the predicted probability and the 0/1 event for `target` out of the matrix. */
function extractTarget(
  probabilities: Float64Array,
  outcomes: Int32Array,
  classes: number,
  target: ReliabilityTarget,
): { predicted: Float64Array; happened: Uint8Array } {
  const rows = outcomes.length;
  const predicted = new Float64Array(rows);
  const happened = new Uint8Array(rows);
  if (target === 'top-label') {
    for (let row = 0; row < rows; row++) {
      const top = argmaxRow(probabilities, row * classes, classes);
      predicted[row] = probabilities[row * classes + top]!;
      happened[row] = outcomes[row] === top ? 1 : 0;
    }
  } else {
    if (!Number.isInteger(target) || target < 0 || target >= classes) {
      throw new RangeError(`target class ${target} is not in [0, ${classes})`);
    }
    for (let row = 0; row < rows; row++) {
      predicted[row] = probabilities[row * classes + target]!;
      happened[row] = outcomes[row] === target ? 1 : 0;
    }
  }
  return { predicted, happened };
}

/**
 * Reliability table for one target of a flattened row-major n × k probability matrix: per bin,
 * how often the event happened against how likely it was said to be. Empty bins are kept
 * (count 0, means null) so tables with the same options always line up.
 */
export function reliabilityTable(
  probabilities: Float64Array,
  outcomes: Int32Array,
  options: BinningOptions & { readonly target: ReliabilityTarget },
): ReliabilityTable {
  const classes = validateProbabilityRows(probabilities, outcomes);
  const { bins, strategy } = resolveBinning(options);
  const { predicted, happened } = extractTarget(probabilities, outcomes, classes, options.target);
  return tabulate(predicted, happened, options.target, bins, strategy);
}

/** One-vs-rest reliability tables for every class, in class order. */
export function reliabilityTables(
  probabilities: Float64Array,
  outcomes: Int32Array,
  options: BinningOptions = {},
): ReliabilityTable[] {
  const classes = validateProbabilityRows(probabilities, outcomes);
  const { bins, strategy } = resolveBinning(options);
  const tables: ReliabilityTable[] = [];
  for (let target = 0; target < classes; target++) {
    const { predicted, happened } = extractTarget(probabilities, outcomes, classes, target);
    tables.push(tabulate(predicted, happened, target, bins, strategy));
  }
  return tables;
}
