import { describe, expect, it } from 'vitest';
import { CompensatedSum } from './compensated-sum.js';

describe('CompensatedSum', () => {
  it('keeps small terms that a naive running sum drops', () => {
    const sum = new CompensatedSum();
    let naive = 0;
    const terms = [1e16, 1, -1e16, 1];
    for (const term of terms) {
      sum.add(term);
      naive += term;
    }
    expect(naive).toBe(1);
    expect(sum.value).toBe(2);
  });
});
