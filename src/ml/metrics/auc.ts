/**
 * Area under the ROC curve of a binary forecast: the probability that a random positive row scores
 * higher than a random negative one, ties counting one half (Mann–Whitney U / (n₊ · n₋)). 1 is a
 * perfect ranking, 0.5 a coin. `scores` are any increasing measure of "positive" (e.g. the class-1
 * probability); `outcomes` are 0/1. Agrees with scikit-learn's roc_auc_score, ties included.
 */
export function rocAuc(scores: ArrayLike<number>, outcomes: ArrayLike<number>): number {
  const rows = outcomes.length;
  if (scores.length !== rows) throw new RangeError(`${scores.length} scores for ${rows} outcomes`);
  let positives = 0;
  for (let r = 0; r < rows; r++) {
    const y = outcomes[r];
    if (y !== 0 && y !== 1) throw new RangeError(`Row ${r}: outcome ${y} is not 0 or 1`);
    const s = scores[r]!;
    if (!(s === s && s !== Infinity && s !== -Infinity)) throw new RangeError(`Row ${r}: score ${s} is not a finite number`);
    positives += y;
  }
  const negatives = rows - positives;
  if (positives === 0 || negatives === 0) {
    throw new RangeError(`AUC needs both outcomes; got ${positives} positive and ${negatives} negative rows`);
  }
  const order = new Int32Array(rows);
  for (let r = 0; r < rows; r++) order[r] = r;
  order.sort((a, b) => scores[a]! - scores[b]!);
  // Sum of the positives' ranks, each tie group sharing its average rank (ranks start at 1).
  let positiveRankSum = 0;
  let start = 0;
  while (start < rows) {
    let end = start + 1;
    const value = scores[order[start]!]!;
    while (end < rows && scores[order[end]!] === value) end++;
    let groupPositives = 0;
    for (let i = start; i < end; i++) groupPositives += outcomes[order[i]!]!;
    positiveRankSum += groupPositives * ((start + 1 + end) / 2);
    start = end;
  }
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
