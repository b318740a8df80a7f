import { describe, expect, it } from "vitest";
import { chiSquareTest } from "../../../shared/stats/chi-square.ts";
import { buildContingencyTable } from "../../../shared/stats/contingency.ts";
import { NotApplicableError } from "../../../shared/stats/not-applicable.ts";
import { expectClose } from "../../fixtures/stats-vectors.ts";
import { categoricalCases, expectedNumber } from "./support/vector-samples.ts";

describe("chiSquareTest", () => {
  // Reference: scipy 1.10.1 scipy.stats.chi2_contingency(table, correction=False).
  it.each(categoricalCases)(
    "matches scipy chi2_contingency(correction=False) on $name",
    ({ table, source }) => {
      const result = chiSquareTest(table);
      expectClose(result.statistic, expectedNumber(source, "chi2", "statistic"), `${source.name} statistic`);
      expectClose(result.pValue, expectedNumber(source, "chi2", "pValue"), `${source.name} pValue`);
      expect(result.dof).toBe(expectedNumber(source, "chi2", "dof"));
    },
  );

  it("has the closed-form tail exp(-X²/2) with two degrees of freedom", () => {
    const result = chiSquareTest(buildContingencyTable(["a", "a", "b", "c"], ["b", "c", "c", "c"]));
    expect(result.dof).toBe(2);
    expectClose(result.pValue, Math.exp(-result.statistic / 2), "pValue");
  });

  it("is 0 with p = 1 when both samples have the same proportions", () => {
    const result = chiSquareTest(buildContingencyTable(["a", "b", "b"], ["a", "a", "b", "b", "b", "b"]));
    expect(result).toEqual({ statistic: 0, pValue: 1, dof: 1 });
  });

  it("gives scipy's answer for a single category: 0, p = 1, dof = 0", () => {
    expect(chiSquareTest(buildContingencyTable(["a", "a"], ["a"]))).toEqual({
      statistic: 0,
      pValue: 1,
      dof: 0,
    });
  });

  it("is not applicable when a sample is empty (scipy raises)", () => {
    expect(() => chiSquareTest(buildContingencyTable(["a", "b"], [null]))).toThrow(NotApplicableError);
  });
});
