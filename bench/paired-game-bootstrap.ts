/**
 * Paired comparison of two models' per-shot losses on the same held-out shots: the mean
 * difference a − b, its plain standard error (shots taken as independent) and its standard error
 * over resamples of whole games (shots of one game share players, defence and pace, so they are
 * not independent). Deterministic: a fixed-seed linear congruential generator picks the games.
 */
export interface PairedDifference {
  readonly mean: number;
  /** Standard error over `resamples` bootstrap resamples of whole games. */
  readonly gameSe: number;
  /** Plain standard error of the mean per-shot difference. */
  readonly shotSe: number;
}

export function pairedGameBootstrap(a: ArrayLike<number>, b: ArrayLike<number>, games: ArrayLike<number>, resamples = 2000): PairedDifference {
  const n = a.length;
  const byGame = new Map<number, { sum: number; count: number }>();
  let total = 0;
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    total += d;
    const g = byGame.get(games[i]!) ?? { sum: 0, count: 0 };
    g.sum += d;
    g.count++;
    byGame.set(games[i]!, g);
  }
  const mean = total / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (a[i]! - b[i]! - mean) ** 2;
  const groups = [...byGame.values()];
  let seed = 20231121;
  const random = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296;
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    let count = 0;
    for (let i = 0; i < groups.length; i++) {
      const g = groups[Math.floor(random() * groups.length)]!;
      sum += g.sum;
      count += g.count;
    }
    means[r] = sum / count;
  }
  let m = 0;
  for (const x of means) m += x / resamples;
  let v = 0;
  for (const x of means) v += (x - m) ** 2;
  return { mean, gameSe: Math.sqrt(v / (resamples - 1)), shotSe: Math.sqrt(squares / (n - 1) / n) };
}

/** Per-shot log loss of make probabilities `p` against 0/1 labels (probabilities clipped at 1e-15). */
export function perShotLogLoss(p: ArrayLike<number>, made: ArrayLike<number>): Float64Array {
  const loss = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) loss[i] = -Math.log(Math.max(made[i] ? p[i]! : 1 - p[i]!, 1e-15));
  return loss;
}
