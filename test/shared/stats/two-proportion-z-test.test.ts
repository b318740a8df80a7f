import { describe, expect, it } from "vitest";
import { chiSquareTest } from "../../../shared/stats/chi-square.ts";
import { buildContingencyTable } from "../../../shared/stats/contingency.ts";
import { NotApplicableError } from "../../../shared/stats/not-applicable.ts";
import { twoProportionZTest } from "../../../shared/stats/two-proportion-z-test.ts";
import { expectClose } from "../../fixtures/stats-vectors.ts";
import {
  categoricalCases,
  categoricalCasesWith,
  expectedNumber,
  vectorCase,
} from "./support/vector-samples.ts";

describe("twoProportionZTest", () => {
  // Reference: the vectors' pooled two-proportion z-test (generated alongside scipy 1.10.1), on the share of
  // the first category in code point order, reference minus current.
  it.each(categoricalCasesWith("ztest"))("matches the reference z-test on $name", ({ table, source }) => {
    const result = twoProportionZTest(table);
    expectClose(result.statistic, expectedNumber(source, "ztest", "statistic"), `${source.name} statistic`);
    expectClose(result.pValue, expectedNumber(source, "ztest", "pValue"), `${source.name} pValue`);
  });

  it.each(categoricalCasesWith("ztest"))(
    "squares to the uncorrected chi-square statistic on $name",
    ({ table }) => {
      const { statistic, pValue } = twoProportionZTest(table);
      const chi2 = chiSquareTest(table);
      expectClose(statistic ** 2, chi2.statistic, "z²");
      expectClose(pValue, chi2.pValue, "pValue");
    },
  );

  it("is positive when the first category is more frequent in the reference, and flips with the samples", () => {
    const reference = ["a", "a", "a", "b"];
    const current = ["a", "b", "b", "b"];
    const forward = twoProportionZTest(buildContingencyTable(reference, current));
    const backward = twoProportionZTest(buildContingencyTable(current, reference));
    // p̂_ref = 3/4, p̂_cur = 1/4, pooled 1/2: z = (1/2) / sqrt(1/4 · (1/4 + 1/4)) = sqrt(2).
    expectClose(forward.statistic, Math.SQRT2, "z");
    expect(backward.statistic).toBe(-forward.statistic);
    expect(backward.pValue).toBe(forward.pValue);
  });

  it("is not applicable unless there are exactly two categories", () => {
    const many = vectorCase(categoricalCases, "categorical-5cats-1000x800");
    expect(() => twoProportionZTest(many.table)).toThrow(NotApplicableError);
    expect(() => twoProportionZTest(buildContingencyTable(["a"], ["a"]))).toThrow(NotApplicableError);
  });

  it("is not applicable when a sample is empty", () => {
    expect(() => twoProportionZTest(buildContingencyTable(["a", "b"], []))).toThrow(NotApplicableError);
  });
});
