import { describe, expect, it } from "vitest";
import { quantileSorted } from "#shared/stats/quantile";

const f64 = (values: number[]) => Float64Array.from(values).sort();

describe("quantileSorted", () => {
  it("matches numpy.quantile's docstring example", () => {
    // numpy.quantile docs: a = [[10, 7, 4], [3, 2, 1]]; np.quantile(a, 0.5) -> 3.5
    expect(quantileSorted(f64([10, 7, 4, 3, 2, 1]), 0.5)).toBe(3.5);
  });

  it("interpolates linearly between the order statistics at h = (n - 1) q", () => {
    // n = 5: h = 4 · 0.25 = 1 is the 2nd value; h = 4 · 0.1 = 0.4 lies 0.4 of the way from 10 to 20.
    const values = f64([10, 20, 30, 40, 50]);
    expect(quantileSorted(values, 0.25)).toBe(20);
    expect(quantileSorted(values, 0.1)).toBeCloseTo(14, 12);
    expect(quantileSorted(values, 0.99)).toBeCloseTo(49.6, 12);
  });

  it("interpolates from the upper value once the fraction reaches one half, as numpy's _lerp does", () => {
    // numpy's _lerp(a, b, t) is a + (b - a) t below t = 0.5 and b - (b - a)(1 - t) from there; here the two
    // forms round to different doubles, and numpy's quantile of [1, 1.1] at 0.95 is the second.
    const values = f64([1, 1.1]);
    expect(1 + (1.1 - 1) * 0.95).toBe(1.0950000000000002);
    expect(quantileSorted(values, 0.95)).toBe(1.1 - (1.1 - 1) * (1 - 0.95));
    expect(quantileSorted(values, 0.95)).toBe(1.095);
  });

  it("gives the minimum at q = 0, the maximum at q = 1 and the value of a one-value sample", () => {
    const values = f64([3, 1, 2]);
    expect(quantileSorted(values, 0)).toBe(1);
    expect(quantileSorted(values, 1)).toBe(3);
    expect(quantileSorted(f64([42]), 0.99)).toBe(42);
  });

  it("refuses an empty sample", () => {
    expect(() => quantileSorted(new Float64Array(0), 0.5)).toThrow(RangeError);
  });
});
