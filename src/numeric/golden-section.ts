/** 1/φ: each golden-section step keeps this share of the bracket. */
const INVERSE_PHI = (Math.sqrt(5) - 1) / 2;

/**
 * Golden-section search for the minimum of a unimodal function on [low, high]: `steps` evaluations
 * after the first two, each shrinking the bracket by 1/φ (60 steps narrow it by a factor of about
 * 3·10¹²). Returns the middle of the final bracket. Ties keep the lower half, so a flat function
 * converges on `low`.
 */
export function goldenSectionMinimum(f: (x: number) => number, lowStart: number, highStart: number, steps: number): number {
  let low = lowStart;
  let high = highStart;
  let a = high - INVERSE_PHI * (high - low);
  let b = low + INVERSE_PHI * (high - low);
  let fa = f(a);
  let fb = f(b);
  for (let step = 0; step < steps; step++) {
    if (fa <= fb) {
      high = b;
      b = a;
      fb = fa;
      a = high - INVERSE_PHI * (high - low);
      fa = f(a);
    } else {
      low = a;
      a = b;
      fa = fb;
      b = low + INVERSE_PHI * (high - low);
      fb = f(b);
    }
  }
  return (low + high) / 2;
}
