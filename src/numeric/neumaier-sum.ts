/**
 * Neumaier (improved Kahan–Babuška) compensated sum of `values[start..end)`.
 * Plain summation loses the low bits of every small term added to a large running total; a
 * likelihood over thousands of matches is exactly that case, so long sums go through here.
 */
export function neumaierSum(values: ArrayLike<number>, start = 0, end = values.length): number {
  let sum = 0;
  let compensation = 0;
  for (let i = start; i < end; i++) {
    const value = values[i]!;
    const next = sum + value;
    // Recover what the rounding of `next` dropped from whichever operand was smaller.
    compensation += Math.abs(sum) >= Math.abs(value) ? sum - next + value : value - next + sum;
    sum = next;
  }
  return sum + compensation;
}
