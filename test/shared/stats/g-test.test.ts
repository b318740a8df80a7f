import { describe, expect, it } from "vitest";
import { buildContingencyTable } from "../../../shared/stats/contingency.ts";
import { gTest } from "../../../shared/stats/g-test.ts";
import { NotApplicableError } from "../../../shared/stats/not-applicable.ts";
import { expectClose } from "../../fixtures/stats-vectors.ts";
import { categoricalCases, expectedNumber } from "./support/vector-samples.ts";

describe("gTest", () => {
  // Reference: scipy 1.10.1 scipy.stats.chi2_contingency(table, correction=False, lambda_="log-likelihood").
  it.each(categoricalCases)(
    "matches scipy chi2_contingency(lambda_=log-likelihood) on $name",
    ({ table, source }) => {
      const result = gTest(table);
      expectClose(result.statistic, expectedNumber(source, "gtest", "statistic"), `${source.name} statistic`);
      expectClose(result.pValue, expectedNumber(source, "gtest", "pValue"), `${source.name} pValue`);
      expect(result.dof).toBe(expectedNumber(source, "gtest", "dof"));
    },
  );

  it("is 2 Σ O ln(O / E), with empty cells adding nothing", () => {
    // Reference [2, 0], current [0, 2]: every expected count is 1, so G = 2 · (2 ln 2 + 2 ln 2).
    const result = gTest(buildContingencyTable(["a", "a"], ["b", "b"]));
    expectClose(result.statistic, 8 * Math.LN2, "statistic");
    expect(result.dof).toBe(1);
  });

  it("has the closed-form tail exp(-G/2) with two degrees of freedom", () => {
    const result = gTest(buildContingencyTable(["a", "a", "b", "c"], ["b", "c", "c", "c"]));
    expectClose(result.pValue, Math.exp(-result.statistic / 2), "pValue");
  });

  it("is 0 with p = 1 when both samples have the same proportions", () => {
    const result = gTest(buildContingencyTable(["a", "b", "b"], ["a", "a", "b", "b", "b", "b"]));
    expect(result).toEqual({ statistic: 0, pValue: 1, dof: 1 });
  });

  it("gives scipy's answer for a single category: 0, p = 1, dof = 0", () => {
    expect(gTest(buildContingencyTable(["a"], ["a", "a"]))).toEqual({ statistic: 0, pValue: 1, dof: 0 });
  });

  it("is not applicable when a sample is empty (scipy raises)", () => {
    expect(() => gTest(buildContingencyTable([], ["a", "b"]))).toThrow(NotApplicableError);
  });
});
