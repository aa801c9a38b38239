import { logGamma } from './log-gamma.js';

// Goal, point and count data stay far below this, so the table covers every hot-loop lookup.
const TABLE_SIZE = 256;

/** log(n!) for n = 0..255, built once by a compensated running sum of log k. */
export const LOG_FACTORIAL_TABLE: Float64Array = buildTable();

function buildTable(): Float64Array {
  const table = new Float64Array(TABLE_SIZE);
  let sum = 0;
  let compensation = 0;
  for (let k = 2; k < TABLE_SIZE; k++) {
    const value = Math.log(k);
    const next = sum + value;
    compensation += Math.abs(sum) >= Math.abs(value) ? sum - next + value : value - next + sum;
    sum = next;
    table[k] = sum + compensation;
  }
  return table;
}

/** log(n!) for a non-negative integer n: a table lookup below 256, log Γ(n + 1) above; NaN otherwise. */
export function logFactorial(n: number): number {
  if (n >= 0 && n < TABLE_SIZE && Number.isInteger(n)) return LOG_FACTORIAL_TABLE[n]!;
  if (n >= TABLE_SIZE && Number.isInteger(n)) return logGamma(n + 1);
  return Number.NaN;
}
