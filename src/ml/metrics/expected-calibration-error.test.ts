import { describe, expect, it } from 'vitest';
import { expectedCalibrationError } from './expected-calibration-error.js';

describe('expectedCalibrationError', () => {
  it('scores a perfectly calibrated forecaster ECE 0 and an overconfident one its gap', () => {
    // Says 0.5/0.5 and is right half the time: calibrated.
    const fair = Float64Array.of(0.5, 0.5, 0.5, 0.5);
    expect(expectedCalibrationError(fair, Int32Array.of(0, 1), { target: 0 })).toBe(0);
    // Says 0.9 for class 0 twice, class 0 happens once: one bin, gap 0.4.
    const overconfident = Float64Array.of(0.9, 0.1, 0.9, 0.1);
    expect(expectedCalibrationError(overconfident, Int32Array.of(0, 1))).toBeCloseTo(0.4, 15);
  });
});
