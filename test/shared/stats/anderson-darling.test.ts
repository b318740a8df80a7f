import { describe, expect, it } from "vitest";
import { andersonDarling2Samp } from "../../../shared/stats/anderson-darling.ts";
import { NotApplicableError } from "../../../shared/stats/not-applicable.ts";
import { expectClose } from "../../fixtures/stats-vectors.ts";
import { expectedNumber, numericCases } from "./support/vector-samples.ts";

const f64 = (values: number[]) => Float64Array.from(values);

describe("andersonDarling2Samp", () => {
  // Expected values: scipy 1.10.1 scipy.stats.anderson_ksamp([reference, current]) (midrank=True),
  // statistic and significance_level, which scipy caps at 0.25 and floors at 0.001.
  it.each(numericCases)("matches scipy anderson_ksamp on $name", ({ name, reference, current, source }) => {
    const result = andersonDarling2Samp(reference, current);
    expectClose(result.statistic, expectedNumber(source, "ad", "statistic"), `${name} statistic`);
    expectClose(result.pValue, expectedNumber(source, "ad", "pValue"), `${name} pValue`);
  });

  it("gives A² = 0 and the capped p-value 0.25 when the mid-rank sum equals its mean", () => {
    // Pooled values 1 (five times: B = 2.5, l = 5) and 2 (once: B = 5.5, l = 1), N = 6. Sample 1 has
    // M = 1.5, 3 and sample 2 M = 1, 2.5, so each sample's inner sum is (5/6)(1.5²)/1.25 + (1/6)(1.5²)/1.25
    // = 1.8; A²_akN = (5/6)(1.8/3 + 1.8/3) = 1 = k - 1, so the standardised statistic is 0 < 0.325.
    const result = andersonDarling2Samp(f64([1, 1, 1]), f64([1, 1, 2]));
    expect(result.statistic).toBe(0);
    expect(result.pValue).toBe(0.25);
  });

  it("is symmetric in the two samples", () => {
    const a = f64([0.1, 0.4, 0.4, 1.3, 2.2, 5]);
    const b = f64([0.3, 0.4, 0.9, 1.1, 7, 8, 9]);
    const ab = andersonDarling2Samp(a, b);
    const ba = andersonDarling2Samp(b, a);
    expectClose(ba.statistic, ab.statistic, "statistic");
    expectClose(ba.pValue, ab.pValue, "pValue");
  });

  it("gives the same answer whether the previous call had the same pooled size or another", () => {
    const a = f64([1, 2, 3, 5, 8]);
    const b = f64([2, 4, 6, 7]);
    const first = andersonDarling2Samp(a, b);
    andersonDarling2Samp(f64([1, 2, 3]), f64([4, 5, 6]));
    expect(andersonDarling2Samp(a, b)).toEqual(first);
    expect(andersonDarling2Samp(a, b)).toEqual(first);
  });

  it("throws NotApplicableError where scipy fails: an empty sample, one distinct value, under 4 values", () => {
    expect(() => andersonDarling2Samp(f64([]), f64([1, 2, 3, 4]))).toThrow(NotApplicableError);
    expect(() => andersonDarling2Samp(f64([2, 2, 2]), f64([2, 2]))).toThrow(NotApplicableError);
    // N = 2 indexes an empty harmonic sum in scipy; N = 3 makes its variance 0/0.
    expect(() => andersonDarling2Samp(f64([1]), f64([2]))).toThrow(NotApplicableError);
    expect(() => andersonDarling2Samp(f64([1]), f64([2, 3]))).toThrow(NotApplicableError);
  });
});
