import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BinaryCalibration, logit } from './calibration.js';
import { evaluateIsotonic, fitIsotonicRegression } from './calibration/isotonic-regression.js';
import { fitPlattScaling } from './calibration/platt-scaling.js';
import { isMlError } from './ml-error.js';

interface CalibrationCase {
  readonly name: string;
  readonly probabilities: number[];
  readonly outcomes: number[];
  readonly weights: number[] | null;
  readonly probe: number[];
  readonly platt: { readonly sklearn: [number, number]; readonly tight: [number, number]; readonly probeProbabilities: number[] };
  readonly isotonic: { readonly x: number[]; readonly y: number[]; readonly probeProbabilities: number[] };
}

// scikit-learn 1.2: _sigmoid_calibration on log-odds and IsotonicRegression(out_of_bounds='clip'),
// written by bench/reference/logistic_reference.py on seeded, deliberately over-confident forecasts.
const reference = JSON.parse(
  fs.readFileSync(new URL('./fixtures/calibration-reference.json', import.meta.url), 'utf8'),
) as { cases: CalibrationCase[] };

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

describe('calibration against scikit-learn', () => {
  for (const c of reference.cases) {
    describe(c.name, () => {
      const probabilities = Float64Array.from(c.probabilities);
      const weights = c.weights ? Float64Array.from(c.weights) : null;
      const probe = Float64Array.from(c.probe);

      it('Platt: same a, b as sklearn (1e-6; its BFGS stops at gradient 1e-5) and the tight optimum (1e-7)', () => {
        const scores = Float64Array.from(probabilities, logit);
        const { a, b } = fitPlattScaling(scores, Int32Array.from(c.outcomes), weights);
        expect(maxAbsDifference([a, b], c.platt.sklearn)).toBeLessThan(1e-6);
        expect(maxAbsDifference([a, b], c.platt.tight)).toBeLessThan(1e-7);
        const calibrated = BinaryCalibration.fit('platt', probabilities, c.outcomes, weights).calibrate(probe);
        expect(maxAbsDifference(calibrated, c.platt.probeProbabilities)).toBeLessThan(1e-7);
      });

      it('isotonic: same knots and predictions as sklearn IsotonicRegression (1e-15)', () => {
        const fit = fitIsotonicRegression(probabilities, Float64Array.from(c.outcomes), weights);
        expect(Array.from(fit.x)).toEqual(c.isotonic.x);
        expect(maxAbsDifference(fit.y, c.isotonic.y)).toBeLessThan(1e-15);
        const calibrated = BinaryCalibration.fit('isotonic', probabilities, c.outcomes, weights).calibrate(probe);
        expect(maxAbsDifference(calibrated, c.isotonic.probeProbabilities)).toBeLessThan(1e-15);
      });

      it('both maps round-trip through JSON text bit for bit', () => {
        for (const method of ['platt', 'isotonic'] as const) {
          const fitted = BinaryCalibration.fit(method, probabilities, c.outcomes, weights);
          const reloaded = BinaryCalibration.fromJSON(JSON.parse(JSON.stringify(fitted)));
          expect(Array.from(reloaded.calibrate(probe))).toEqual(Array.from(fitted.calibrate(probe)));
        }
      });

      it('improves the log loss of the over-confident forecasts on the slice they were fitted on', () => {
        const logLoss = (p: Float64Array): number =>
          c.outcomes.reduce((sum, y, i) => sum - Math.log(Math.max(y ? p[i]! : 1 - p[i]!, 1e-15)), 0) / c.outcomes.length;
        const before = logLoss(probabilities);
        for (const method of ['platt', 'isotonic'] as const) {
          expect(logLoss(BinaryCalibration.fit(method, probabilities, c.outcomes).calibrate(probabilities))).toBeLessThan(before - 0.02);
        }
      });
    });
  }
});

describe('isotonic regression by hand', () => {
  it('pools adjacent violators into weighted means and interpolates between knots', () => {
    // y = 0, 1, 0, 1 at x = 1…4 pools the middle pair into 0.5.
    const fit = fitIsotonicRegression(Float64Array.of(1, 2, 3, 4), Float64Array.of(0, 1, 0, 1), null);
    expect(Array.from(fit.x)).toEqual([1, 2, 3, 4]);
    expect(Array.from(fit.y)).toEqual([0, 0.5, 0.5, 1]);
    expect(evaluateIsotonic(fit, 3.5)).toBe(0.75);
    expect(evaluateIsotonic(fit, -10)).toBe(0);
    expect(evaluateIsotonic(fit, 10)).toBe(1);
  });
});

describe('BinaryCalibration inputs', () => {
  it('rejects probabilities outside [0, 1], non-binary outcomes and unknown methods', () => {
    const codeOf = (run: () => unknown): string | undefined => {
      try {
        run();
      } catch (error) {
        return isMlError(error) ? error.code : 'other';
      }
      return undefined;
    };
    expect(codeOf(() => BinaryCalibration.fit('platt', Float64Array.of(0.2, 1.2), [0, 1]))).toBe('TIPSTER_ERR_ML_FEATURE_INVALID');
    expect(codeOf(() => BinaryCalibration.fit('isotonic', Float64Array.of(0.2, 0.4), [0, 2]))).toBe('TIPSTER_ERR_ML_LABEL_INVALID');
    expect(codeOf(() => BinaryCalibration.fit('beta' as 'platt', Float64Array.of(0.2), [0]))).toBe('TIPSTER_ERR_ML_OPTION_INVALID');
    expect(codeOf(() => BinaryCalibration.fromJSON({ format: 'other' }))).toBe('TIPSTER_ERR_ML_MODEL_INVALID');
  });
});
