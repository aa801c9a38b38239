/**
 * scikit-learn's early-stopping rule on a loss curve (lower is better; losses[0] is the baseline
 * before any tree): stop when none of the last `iterationsNoChange` losses is more than
 * `tolerance` below the loss `iterationsNoChange` iterations before them.
 */
export function shouldStopEarly(losses: readonly number[], iterationsNoChange: number, tolerance: number): boolean {
  const referenceAt = losses.length - iterationsNoChange - 1;
  if (referenceAt < 0) return false;
  const mustBeBelow = losses[referenceAt]! - tolerance;
  for (let i = referenceAt + 1; i < losses.length; i++) if (losses[i]! < mustBeBelow) return false;
  return true;
}
