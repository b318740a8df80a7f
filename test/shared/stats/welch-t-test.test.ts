import { describe, expect, it } from "vitest";
import { NotApplicableError } from "../../../shared/stats/not-applicable.ts";
import { welchTTest } from "../../../shared/stats/welch-t-test.ts";
import { expectClose } from "../../fixtures/stats-vectors.ts";
import { expectedNumber, numericCases, vectorCase } from "./support/vector-samples.ts";

describe("welchTTest", () => {
  // Reference: scipy 1.10.1 scipy.stats.ttest_ind(reference, current, equal_var=False).
  it.each(numericCases)(
    "matches scipy ttest_ind(equal_var=False) on $name",
    ({ reference, current, source }) => {
      const result = welchTTest(reference, current);
      expectClose(result.statistic, expectedNumber(source, "ttest", "statistic"), `${source.name} statistic`);
      expectClose(result.pValue, expectedNumber(source, "ttest", "pValue"), `${source.name} pValue`);
    },
  );

  it("gives t = 0 and p = 1 for identical samples", () => {
    const sample = new Float64Array([1, 2, 3, 5]);
    expect(welchTTest(sample, sample)).toEqual({ statistic: 0, pValue: 1 });
  });

  it("negates t and keeps p when the samples swap", () => {
    const { reference, current } = vectorCase(numericCases, "numeric-shift-100x100");
    const forward = welchTTest(reference, current);
    const backward = welchTTest(current, reference);
    expect(backward.statistic).toBe(-forward.statistic);
    expectClose(backward.pValue, forward.pValue, "pValue");
  });

  it("accepts one constant sample: t follows from the other sample's variance alone", () => {
    // vn1 = 0, vn2 = var([1, 2, 3]) / 3 = 1/3, so t = (4 - 2) / sqrt(1/3) and ν = n2 - 1 = 2.
    const result = welchTTest(new Float64Array([4, 4, 4]), new Float64Array([1, 2, 3]));
    expectClose(result.statistic, 2 / Math.sqrt(1 / 3), "statistic");
    // Student's t with 2 degrees of freedom has the closed form P(|T| >= t) = 1 - t / sqrt(2 + t²).
    expectClose(result.pValue, 1 - result.statistic / Math.sqrt(2 + result.statistic ** 2), "pValue");
  });

  it("keeps a p-value far below machine epsilon instead of rounding it to 0", () => {
    const reference = Float64Array.from({ length: 1000 }, (_, i) => i);
    const current = reference.map((v) => v + 300);
    const { pValue } = welchTTest(reference, current);
    expect(pValue).toBeGreaterThan(0);
    expect(pValue).toBeLessThan(1e-100);
  });

  it("is not applicable with fewer than two values in a sample (scipy: NaN)", () => {
    expect(() => welchTTest(new Float64Array([1]), new Float64Array([1, 2, 3]))).toThrow(NotApplicableError);
    expect(() => welchTTest(new Float64Array([1, 2]), new Float64Array([]))).toThrow(NotApplicableError);
  });

  it("is not applicable when both samples are constant (scipy: NaN or an infinite t)", () => {
    expect(() => welchTTest(new Float64Array([2, 2]), new Float64Array([2, 2, 2]))).toThrow(
      NotApplicableError,
    );
    expect(() => welchTTest(new Float64Array([1, 1]), new Float64Array([2, 2, 2]))).toThrow(
      NotApplicableError,
    );
  });
});
