import { describe, expect, it } from "vitest";
import { periodCoverage } from "#shared/monitoring/performance/period-coverage";

const hour = (h: number) => new Date(Date.UTC(2026, 11, 1, h)).toISOString();
const period = { from: hour(0), to: hour(4) };

describe("label coverage of a period", () => {
  it("is the labelled share of the predictions the checks counted in the period", () => {
    const coverage = periodCoverage(period, [
      { window: { from: hour(0), to: hour(1) }, rows: 100, labelled: 60 },
      { window: { from: hour(1), to: hour(2) }, rows: 50, labelled: 10 },
      { window: { from: hour(2), to: hour(3) }, rows: 0, labelled: 0 },
      { window: { from: hour(3), to: hour(4) }, rows: 50, labelled: 0 },
    ]);
    expect(coverage).toEqual({ rows: 200, checkedShare: 1, coverage: 70 / 200 });
  });

  it("leaves out a window overlapping one already counted, and windows reaching outside the period", () => {
    const coverage = periodCoverage(period, [
      { window: { from: hour(2), to: hour(4) }, rows: 80, labelled: 40 },
      { window: { from: hour(3), to: hour(4) }, rows: 30, labelled: 30 },
      { window: { from: hour(1), to: hour(3) }, rows: 90, labelled: 90 },
      { window: { from: hour(1), to: hour(2) }, rows: 20, labelled: 5 },
      { window: { from: hour(-1), to: hour(1) }, rows: 70, labelled: 70 },
    ]);
    expect(coverage).toEqual({ rows: 100, checkedShare: 3 / 4, coverage: 45 / 100 });
  });

  it("has no rows and no coverage when no check covered the period", () => {
    expect(
      periodCoverage(period, [{ window: { from: hour(0), to: hour(1) }, rows: null, labelled: 5 }]),
    ).toEqual({
      rows: null,
      checkedShare: 0,
      coverage: null,
    });
  });
});
