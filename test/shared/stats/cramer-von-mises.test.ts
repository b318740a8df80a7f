import { describe, expect, it } from "vitest";
import { cramerVonMises2Samp } from "../../../shared/stats/cramer-von-mises.ts";
import { NotApplicableError } from "../../../shared/stats/not-applicable.ts";
import { expectClose } from "../../fixtures/stats-vectors.ts";
import { expectedNumber, numericCases } from "./support/vector-samples.ts";

const f64 = (values: number[]) => Float64Array.from(values);

describe("cramerVonMises2Samp", () => {
  // Expected values: scipy 1.10.1 scipy.stats.cramervonmises_2samp(reference, current), method="auto":
  // exact while max(n, m) <= 20 (the 5x7, 8x8 and 20x20 cases), the limiting distribution above.
  it.each(numericCases)(
    "matches scipy cramervonmises_2samp on $name",
    ({ name, reference, current, source }) => {
      const result = cramerVonMises2Samp(reference, current);
      expectClose(result.statistic, expectedNumber(source, "cvm", "statistic"), `${name} statistic`);
      expectClose(result.pValue, expectedNumber(source, "cvm", "pValue"), `${name} pValue`);
    },
  );

  it("computes T from the mid-ranks for two fully separated pairs", () => {
    // Ranks 1, 2 and 3, 4: U = 2 ((1-1)² + (2-2)²) + 2 ((3-1)² + (4-2)²) = 16, so
    // T = 16 / (2·2·4) - (4·4 - 1) / (6·4) = 1 - 0.625; U' = 16 for {1, 2} and {3, 4} and 12 for the
    // other four splits, so p = 2/6.
    const result = cramerVonMises2Samp(f64([1, 2]), f64([3, 4]));
    expectClose(result.statistic, 0.375, "statistic");
    expectClose(result.pValue, 2 / 6, "pValue");
  });

  it("gives T = 0 and p = 1 when both samples are the same constant", () => {
    // All four mid-ranks are 2.5: U = 2 (1.5² + 0.5²) + 2 (1.5² + 0.5²) = 10, T = 10/16 - 15/24 = 0; every split
    // has U' >= 12 > 10.
    expect(cramerVonMises2Samp(f64([5, 5]), f64([5, 5]))).toEqual({ statistic: 0, pValue: 1 });
  });

  it("throws NotApplicableError unless each sample has at least two observations", () => {
    expect(() => cramerVonMises2Samp(f64([1]), f64([2, 3]))).toThrow(NotApplicableError);
    expect(() => cramerVonMises2Samp(f64([1, 2]), f64([]))).toThrow(NotApplicableError);
  });
});
