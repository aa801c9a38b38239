import { describe, expect, it } from 'vitest';
import { goldenSectionMinimum } from './golden-section.js';

describe('goldenSectionMinimum', () => {
  it('finds the minimum of a smooth unimodal function to within the bracket it narrows to', () => {
    // (x − 1.3)² + 2 on [−5, 7]: after 60 steps the bracket is 12 / φ⁶⁰ ≈ 3e-12 wide.
    expect(goldenSectionMinimum((x) => (x - 1.3) ** 2 + 2, -5, 7, 60)).toBeCloseTo(1.3, 6);
    // An asymmetric one: x − log x has its minimum at x = 1.
    expect(goldenSectionMinimum((x) => x - Math.log(x), 0.01, 50, 80)).toBeCloseTo(1, 6);
  });

  it('ends at the nearer edge when the minimum lies outside the bracket', () => {
    expect(goldenSectionMinimum((x) => x, 2, 3, 60)).toBeCloseTo(2, 9);
    expect(goldenSectionMinimum((x) => -x, 2, 3, 60)).toBeCloseTo(3, 9);
  });
});
