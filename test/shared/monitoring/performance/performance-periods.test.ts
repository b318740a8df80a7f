import { describe, expect, it } from "vitest";
import { performancePeriods } from "#shared/monitoring/performance/performance-periods";

describe("the periods of a performance check", () => {
  it("ends the current period at the window's end and the reference period where the current one starts", () => {
    expect(
      performancePeriods("2026-12-31T05:00:00Z", { currentPeriod: "P7D", referencePeriod: "P30D" }),
    ).toEqual({
      current: { from: "2026-12-24T05:00:00.000Z", to: "2026-12-31T05:00:00.000Z" },
      reference: { from: "2026-11-24T05:00:00.000Z", to: "2026-12-24T05:00:00.000Z" },
    });
  });

  it("takes periods in weeks, days and hours", () => {
    expect(
      performancePeriods("2026-12-31T00:00:00.000Z", { currentPeriod: "PT12H", referencePeriod: "P1W" }),
    ).toEqual({
      current: { from: "2026-12-30T12:00:00.000Z", to: "2026-12-31T00:00:00.000Z" },
      reference: { from: "2026-12-23T12:00:00.000Z", to: "2026-12-30T12:00:00.000Z" },
    });
  });
});
