import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rocAuc } from './auc.js';

interface AucCase {
  name: string;
  scores: number[];
  outcomes: number[];
  auc: number;
}

// Written by bench/reference/auc_reference.py (scikit-learn's roc_auc_score).
const reference = JSON.parse(readFileSync(new URL('./fixtures/auc-reference.json', import.meta.url), 'utf8')) as { cases: AucCase[] };

describe('rocAuc', () => {
  it.each(reference.cases)('matches scikit-learn to 1e-12: $name', (c) => {
    expect(Math.abs(rocAuc(Float64Array.from(c.scores), Int32Array.from(c.outcomes)) - c.auc)).toBeLessThanOrEqual(1e-12);
  });

  it('does not depend on the order of the rows', () => {
    const c = reference.cases[4]!;
    const order = c.scores.map((_, i) => i).reverse();
    expect(rocAuc(order.map((i) => c.scores[i]!), order.map((i) => c.outcomes[i]!))).toBeCloseTo(c.auc, 12);
  });

  it('refuses one-class outcomes, non-binary outcomes and non-finite scores', () => {
    expect(() => rocAuc([0.2, 0.3], [1, 1])).toThrow(/both outcomes/);
    expect(() => rocAuc([0.2, 0.3], [0, 2])).toThrow(/not 0 or 1/);
    expect(() => rocAuc([Number.NaN, 0.3], [0, 1])).toThrow(/not a finite number/);
    expect(() => rocAuc([0.3], [0, 1])).toThrow(/1 scores for 2 outcomes/);
  });
});
