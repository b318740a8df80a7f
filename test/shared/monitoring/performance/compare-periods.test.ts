import { describe, expect, it } from "vitest";
import { comparePeriods, metricValue } from "#shared/monitoring/performance/compare-periods";
import type { ClassificationReport, RegressionReport } from "#shared/schemas/performance-metrics";

function classification(overrides: Partial<ClassificationReport>): ClassificationReport {
  return {
    rows: 100,
    accuracy: 0.9,
    macro: { precision: 0.8, recall: 0.7, f1: 0.75 },
    weighted: { precision: 0.85, recall: 0.9, f1: 0.87 },
    perClass: [],
    confusionMatrix: { labels: [], counts: [] },
    rocAuc: { value: 0.95, positiveLabel: "1" },
    logLoss: 0.3,
    probabilities: { rows: 100, missing: 0, notSummingToOne: 0 },
    ...overrides,
  };
}

const regression = (overrides: Partial<RegressionReport>): RegressionReport => ({
  rows: 100,
  mae: 2,
  rmse: 3,
  mape: 0.1,
  r2: 0.8,
  ...overrides,
});

describe("comparing the current period with the reference period", () => {
  it("counts a fall of a higher-is-better metric and a rise of a loss as a drop", () => {
    const { comparison, dropped, droppedMetrics } = comparePeriods(
      classification({ accuracy: 0.81, logLoss: 0.36 }),
      classification({}),
      ["accuracy", "logLoss"],
      0.05,
    );
    expect(comparison.accuracy).toEqual({
      current: 0.81,
      reference: 0.9,
      better: "higher",
      relativeDrop: (0.9 - 0.81) / 0.9,
      threshold: 0.05,
      dropped: true,
    });
    expect(comparison.logLoss?.better).toBe("lower");
    expect(comparison.logLoss?.relativeDrop).toBeCloseTo(0.2, 12);
    expect(dropped).toBe(true);
    expect(droppedMetrics).toEqual(["accuracy", "logLoss"]);
  });

  it("holds a metric to its own threshold when it has one, else to the model's", () => {
    const { comparison, dropped } = comparePeriods(
      regression({ mae: 2.2, rmse: 3.1 }),
      regression({}),
      [{ metric: "mae", maxRelativeDrop: 0.25 }, "rmse"],
      0.05,
    );
    expect(comparison.mae).toMatchObject({ threshold: 0.25, dropped: false });
    expect(comparison.mae?.relativeDrop).toBeCloseTo(0.1, 12);
    expect(comparison.rmse).toMatchObject({ threshold: 0.05, dropped: false });
    expect(dropped).toBe(false);
  });

  it("reports the largest relative drop, negative when every metric improved", () => {
    const better = comparePeriods(regression({ mae: 1.5, r2: 0.9 }), regression({}), ["mae", "r2"], 0.05);
    expect(better.drop).toBeCloseTo(Math.max(-(0.5 / 2), -(0.1 / 0.8)), 12);
    expect(better.dropped).toBe(false);
    const worse = comparePeriods(regression({ mae: 2.1, r2: 0.4 }), regression({}), ["mae", "r2"], 0.05);
    expect(worse.drop).toBeCloseTo(0.5, 12);
  });

  it("never drops a metric that one period cannot compute, and says why", () => {
    const { comparison, dropped, drop } = comparePeriods(
      classification({ rocAuc: { notApplicable: "no labelled prediction logged probabilities" } }),
      classification({}),
      ["rocAuc"],
      0.05,
    );
    expect(comparison.rocAuc).toEqual({
      current: null,
      reference: 0.95,
      better: "higher",
      relativeDrop: null,
      threshold: 0.05,
      dropped: false,
      reason: "not computable in the current period: no labelled prediction logged probabilities",
    });
    expect(dropped).toBe(false);
    expect(drop).toBeNull();
  });

  it("calls a change from a zero reference unbounded: dropped when worse, with no relative drop", () => {
    const { comparison } = comparePeriods(regression({ mae: 0.5 }), regression({ mae: 0 }), ["mae"], 0.05);
    expect(comparison.mae).toMatchObject({ relativeDrop: null, dropped: true });
    const same = comparePeriods(regression({ mae: 0 }), regression({ mae: 0 }), ["mae"], 0.05);
    expect(same.comparison.mae).toMatchObject({ relativeDrop: 0, dropped: false });
  });

  it("reads each named metric from its place in the report", () => {
    const report = classification({});
    expect(metricValue(report, "f1.macro")).toBe(0.75);
    expect(metricValue(report, "recall.weighted")).toBe(0.9);
    expect(metricValue(report, "rocAuc")).toBe(0.95);
    expect(metricValue(report, "mae")).toHaveProperty("notApplicable");
    expect(metricValue(regression({}), "r2")).toBe(0.8);
  });
});
