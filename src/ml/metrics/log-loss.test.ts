import { describe, expect, it } from 'vitest';
import { LOG_LOSS_CLIP, logLoss } from './log-loss.js';

describe('log loss clip', () => {
  it('charges a certain-but-wrong forecast −ln(1e-15) instead of Infinity', () => {
    const loss = logLoss(Float64Array.of(1, 0, 0), Int32Array.of(2));
    expect(LOG_LOSS_CLIP).toBe(1e-15);
    expect(loss).toBeCloseTo(34.538776394910684, 12);
  });
});

