import { describe, expect, it } from "vitest";
import { finiteOr, notApplicable } from "#shared/performance/metric-value";

describe("finiteOr", () => {
  it("keeps a finite value and turns an overflow into a reason, since JSON has no Infinity or NaN", () => {
    expect(finiteOr(0.5, "rmse")).toBe(0.5);
    expect(finiteOr(Number.POSITIVE_INFINITY, "rmse")).toEqual(
      notApplicable("rmse is not finite (overflow)"),
    );
    expect(finiteOr(Number.NaN, "mae")).toEqual({ notApplicable: "mae is not finite (overflow)" });
  });
});
