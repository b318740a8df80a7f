import { describe, expect, it } from "vitest";
import { categoryShiftTest } from "#shared/drift/category-shift";
import { NotApplicableError } from "#shared/stats/not-applicable";
import { expectClose } from "../../fixtures/stats-vectors.ts";

describe("categoryShiftTest", () => {
  it("names the category whose share moved most and Bonferroni-adjusts its Fisher p-value", () => {
    const result = categoryShiftTest({
      categories: ["a", "b", "c"],
      reference: new Float64Array([40, 30, 30]),
      current: new Float64Array([40, 10, 50]),
    });
    expect(result).toMatchObject({ category: "b", reference: 0.3, current: 0.1 });
    expect(result.statistic).toBeCloseTo(-0.2, 15);
    // 3 x scipy.stats.fisher_exact([[30, 70], [10, 90]]).pvalue (scipy 1.17.1)
    expectClose(result.pValue, 3 * 0.0006504107076034208, "pValue");
  });

  it("is not applicable with two categories, where chi-square already tests the only share", () => {
    expect(() =>
      categoryShiftTest({
        categories: ["a", "b"],
        reference: new Float64Array([1, 2]),
        current: new Float64Array([2, 1]),
      }),
    ).toThrow(NotApplicableError);
  });
});
