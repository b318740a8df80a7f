import { describe, expect, it } from "vitest";
import { fitIsotonic, predictIsotonic } from "#shared/performance/isotonic-regression";
import { Random } from "../../support/random.ts";

const f64 = (values: number[]) => Float64Array.from(values);
const fitted = (x: number[], y: number[]) => {
  const curve = fitIsotonic(f64(x), f64(y));
  return x.map((value) => predictIsotonic(curve, value));
};

/**
 * The isotonic fit by its min-max characterisation (Barlow et al., "Statistical Inference under Order
 * Restrictions", 1972): at the i-th of n distinct increasing x, f = max over j <= i of min over k >= i of the
 * mean of y_j..y_k. O(n³), independent of pooling adjacent violators.
 */
function minMaxFit(y: number[]): number[] {
  return y.map((_, i) => {
    let best = Number.NEGATIVE_INFINITY;
    for (let j = 0; j <= i; j++) {
      let lowest = Number.POSITIVE_INFINITY;
      for (let k = i; k < y.length; k++) {
        const slice = y.slice(j, k + 1);
        lowest = Math.min(lowest, slice.reduce((sum, v) => sum + v, 0) / slice.length);
      }
      best = Math.max(best, lowest);
    }
    return best;
  });
}

describe("fitIsotonic", () => {
  it("matches sklearn's test_isotonic_regression", () => {
    // y = [3, 7, 5, 9, 8, 7, 10] at x = 0..6 -> [3, 6, 6, 8, 8, 8, 10]
    expect(fitted([0, 1, 2, 3, 4, 5, 6], [3, 7, 5, 9, 8, 7, 10])).toEqual([3, 6, 6, 8, 8, 8, 10]);
  });

  it("matches sklearn's isotonic_regression docstring example", () => {
    // isotonic_regression([5, 3, 1, 2, 8, 10, 7, 9, 6, 4]) -> [2.75] * 4 + [7.33...] * 6
    const fit = fitted([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [5, 3, 1, 2, 8, 10, 7, 9, 6, 4]);
    expect(fit.slice(0, 4)).toEqual([2.75, 2.75, 2.75, 2.75]);
    for (const value of fit.slice(4)) expect(value).toBeCloseTo(44 / 6, 14);
  });

  it("averages the targets of tied x first, as sklearn's ties tests expect", () => {
    // test_isotonic_regression_ties_min and _ties_max
    expect(fitted([1, 1, 2, 3, 4, 5], [1, 2, 3, 4, 5, 6])).toEqual([1.5, 1.5, 3, 4, 5, 6]);
    expect(fitted([1, 2, 3, 4, 5, 5], [1, 2, 3, 4, 5, 6])).toEqual([1, 2, 3, 4, 5.5, 5.5]);
    // sklearn: fit(X=[1, 1, 2, 3], y=[1, 3, 2, 4]) -> X_thresholds_ [1, 2, 3], y_thresholds_ [2, 2, 4]
    expect(fitIsotonic(f64([1, 1, 2, 3]), f64([1, 3, 2, 4]))).toEqual({ x: [1, 2, 3], y: [2, 2, 4] });
  });

  it("fits the mean when every x is the same, as sklearn's test does", () => {
    expect(fitIsotonic(f64([1, 1, 1, 1]), f64([1, 2, 3, 6]))).toEqual({ x: [1], y: [3] });
    expect(predictIsotonic({ x: [1], y: [3] }, 5)).toBe(3);
  });

  it("keeps only the points that shape the curve, like sklearn's X_thresholds_", () => {
    expect(fitIsotonic(f64([0, 1, 2, 3, 4, 5, 6]), f64([3, 7, 5, 9, 8, 7, 10]))).toEqual({
      x: [0, 1, 2, 3, 5, 6],
      y: [3, 6, 6, 8, 8, 10],
    });
  });

  it("equals the min-max formula of the least-squares non-decreasing fit", () => {
    const random = new Random(13);
    for (let trial = 0; trial < 30; trial++) {
      const y = Array.from({ length: 1 + random.int(15) }, () => random.int(5));
      const x = y.map((_, i) => i);
      const expected = minMaxFit(y);
      fitted(x, y).forEach((value, i) => {
        expect(value).toBeCloseTo(expected[i] as number, 12);
      });
    }
  });

  it("is the same whatever order the points come in", () => {
    const x = [0.3, 0.1, 0.9, 0.5, 0.1, 0.7];
    const y = [0, 1, 1, 0, 0, 1];
    const reversed = fitIsotonic(f64([...x].reverse()), f64([...y].reverse()));
    expect(fitIsotonic(f64(x), f64(y))).toEqual(reversed);
  });

  it("refuses empty or mismatched input", () => {
    expect(() => fitIsotonic(f64([]), f64([]))).toThrow(RangeError);
    expect(() => fitIsotonic(f64([1, 2]), f64([1]))).toThrow(RangeError);
  });
});

describe("predictIsotonic", () => {
  const curve = { x: [0, 1, 2, 3, 5, 6], y: [3, 6, 6, 8, 8, 10] };

  it("interpolates linearly between the fitted points", () => {
    expect(predictIsotonic(curve, 0.5)).toBe(4.5);
    expect(predictIsotonic(curve, 2.5)).toBe(7);
    expect(predictIsotonic(curve, 4)).toBe(8);
    expect(predictIsotonic(curve, 5.75)).toBe(9.5);
  });

  it("gives the fitted value itself at a fitted point", () => {
    curve.x.forEach((x, i) => {
      expect(predictIsotonic(curve, x)).toBe(curve.y[i]);
    });
  });

  it("clips outside the fitted range, as out_of_bounds='clip' does", () => {
    expect(predictIsotonic(curve, -10)).toBe(3);
    expect(predictIsotonic(curve, 100)).toBe(10);
  });
});
