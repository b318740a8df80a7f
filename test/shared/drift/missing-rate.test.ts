import { describe, expect, it } from "vitest";
import { missingRateTest } from "#shared/drift/missing-rate";
import { NotApplicableError } from "#shared/stats/not-applicable";
import { expectClose } from "../../fixtures/stats-vectors.ts";

describe("missingRateTest", () => {
  it("tests 0% against 30% missing with Fisher's exact test and reports the change of rate", () => {
    const result = missingRateTest({
      reference: { missing: 0, rows: 60 },
      current: { missing: 18, rows: 60 },
    });
    expect(result.statistic).toBeCloseTo(0.3, 15);
    // scipy.stats.fisher_exact([[0, 60], [18, 42]]).pvalue (scipy 1.17.1)
    expectClose(result.pValue, 1.7023857793953295e-6, "pValue");
  });

  it("is not applicable when nothing is missing, everything is, or a dataset has no rows", () => {
    const none = { missing: 0, rows: 10 };
    const all = { missing: 10, rows: 10 };
    expect(() => missingRateTest({ reference: none, current: none })).toThrow(NotApplicableError);
    expect(() => missingRateTest({ reference: all, current: all })).toThrow(NotApplicableError);
    expect(() => missingRateTest({ reference: { missing: 0, rows: 0 }, current: all })).toThrow(
      NotApplicableError,
    );
  });
});
