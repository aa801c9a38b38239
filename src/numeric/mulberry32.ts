/**
 * mulberry32: a small, fast seeded PRNG (32-bit state) returning uniform numbers in [0, 1). The
 * same seed gives the same sequence on every run and machine, so simulations, synthetic test data
 * and benchmarks are reproducible; not for anything secret.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
