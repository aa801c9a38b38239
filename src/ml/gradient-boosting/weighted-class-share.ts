/** Weighted share of rows whose label is `label`, by compensated sums. */
export function weightedClassShare(labels: Int32Array, weights: Float64Array | null, label: number): number {
  if (!weights) {
    let hits = 0;
    for (let r = 0; r < labels.length; r++) if (labels[r] === label) hits++;
    return hits / labels.length;
  }
  let hit = 0;
  let hitCompensation = 0;
  let total = 0;
  let totalCompensation = 0;
  for (let r = 0; r < labels.length; r++) {
    const w = weights[r]!;
    let next = total + w;
    totalCompensation += Math.abs(total) >= w ? total - next + w : w - next + total;
    total = next;
    if (labels[r] === label) {
      next = hit + w;
      hitCompensation += Math.abs(hit) >= w ? hit - next + w : w - next + hit;
      hit = next;
    }
  }
  return (hit + hitCompensation) / (total + totalCompensation);
}
