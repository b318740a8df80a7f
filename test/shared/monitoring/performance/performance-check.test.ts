import { describe, expect, it } from "vitest";
import { type CheckedWindow, LabelAssessmentBuilder } from "#shared/monitoring/performance/label-assessment";
import { finishPerformance, performanceSummary } from "#shared/monitoring/performance/performance-check";
import { performancePeriods } from "#shared/monitoring/performance/performance-periods";
import { ExactSum } from "#shared/performance/exact-sum";
import { modelConfigSchema } from "#shared/schemas/model-config";
import type { LabelRecord } from "#shared/storage/label-batches";
import { labelRecord } from "./support/label-records.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const END = Date.parse("2026-12-31T00:00:00.000Z");
const window = { from: new Date(END - HOUR).toISOString(), to: new Date(END).toISOString() };
const check = { modelId: "m", checkId: `${window.to}#scheduled`, window };
const config = modelConfigSchema.parse({ task: "classification", minSamples: 10 });

/** `count` predictions received `days` before the end, `right` of them correct, with probabilities. */
function labelled(prefix: string, days: number, count: number, right: number): LabelRecord[] {
  return Array.from({ length: count }, (_, i) =>
    labelRecord(`${prefix}-${i}`, new Date(END - days * DAY).toISOString(), {
      label: i % 2,
      prediction: i < right ? i % 2 : 1 - (i % 2),
      probabilities: i % 2 === 1 ? { "0": 0.3, "1": 0.7 } : { "0": 0.6, "1": 0.4 },
    }),
  );
}

function assess(records: readonly LabelRecord[], windows: CheckedWindow[] = []) {
  const builder = new LabelAssessmentBuilder({
    task: "classification",
    periods: performancePeriods(window.to, config.performance),
    windows: [{ checkId: check.checkId, window, rows: null, estimatedAccuracy: null }, ...windows],
    minSamples: config.minSamples,
  });
  builder.addPartition(records);
  return builder.finish();
}

/** An estimate of `rows` predictions whose confidences sum to `total`. */
function estimate(rows: number, total: number) {
  const confidence = new ExactSum();
  confidence.add(total);
  return { rows, withoutProbabilities: 0, confidence };
}

describe("the performance report of a check", () => {
  it("says no-labels, with no verdict, while neither period has ground truth", () => {
    const report = finishPerformance({ ...check, rows: 40 }, config, assess([]), undefined);
    expect(report).toMatchObject({ status: "no-labels", dropped: null, drop: null, comparison: {} });
    expect(report.current).toMatchObject({
      labelled: 0,
      rows: 40,
      checkedShare: HOUR / (7 * DAY),
      coverage: 0,
    });
    expect(performanceSummary(report, "key")).toEqual({
      status: "no-labels",
      reason: report.reason,
      currentLabelled: 0,
      referenceLabelled: 0,
      coverage: 0,
      reportKey: "key",
    });
  });

  it("says insufficient-data while either period has fewer than minSamples labelled predictions", () => {
    const report = finishPerformance(
      { ...check, rows: 40 },
      config,
      assess([...labelled("ref", 10, 50, 45), ...labelled("cur", 1, 9, 3)]),
      undefined,
    );
    expect(report).toMatchObject({ status: "insufficient-data", dropped: null, comparison: {} });
    expect(report.reason).toBe(
      "9 current and 50 reference labelled predictions; minSamples is 10 on each side",
    );
  });

  it("compares the periods once both have minSamples, and flags the metrics that dropped", () => {
    const report = finishPerformance(
      { ...check, rows: 40 },
      config,
      assess([...labelled("ref", 10, 50, 45), ...labelled("cur", 1, 20, 14)]),
      undefined,
    );
    expect(report.status).toBe("ok");
    expect(report.comparison.accuracy).toMatchObject({ current: 0.7, reference: 0.9, dropped: true });
    expect(report.comparison.accuracy?.relativeDrop).toBeCloseTo((0.9 - 0.7) / 0.9, 12);
    expect(report.dropped).toBe(true);
    expect(report.droppedMetrics).toContain("accuracy");
    expect(report.drop).toBeGreaterThanOrEqual((0.9 - 0.7) / 0.9 - 1e-12);
    expect(performanceSummary(report, "key")).toMatchObject({
      status: "ok",
      dropped: true,
      drop: report.drop,
      currentLabelled: 20,
      referenceLabelled: 50,
    });
  });

  it("estimates the window's accuracy from minSamples predictions with probabilities, and sets it in the window", () => {
    const labels = assess(labelled("ref", 10, 50, 45));
    const report = finishPerformance({ ...check, rows: 12 }, config, labels, estimate(12, 9));
    if (report.task !== "classification") throw new Error("expected a classification report");
    expect(report.estimated).toMatchObject({
      window,
      accuracy: 0.75,
      rows: 12,
      calibration: { method: "binary", classes: ["0", "1"], referenceRows: 50 },
    });
    expect(report.windows[0]).toMatchObject({ checkId: check.checkId, rows: 12, estimatedAccuracy: 0.75 });
    expect(performanceSummary(report, "key").estimatedAccuracy).toBe(0.75);

    const few = finishPerformance({ ...check, rows: 9 }, config, labels, estimate(9, 9));
    if (few.task !== "classification") throw new Error("expected a classification report");
    expect(few.estimated.accuracy).toEqual({
      notApplicable: "9 predictions of the window logged probabilities; minSamples is 10",
    });
    expect(performanceSummary(few, "key").estimatedAccuracy).toBeUndefined();
  });

  it("counts the coverage over the running check's window and the earlier ones", () => {
    const earlier = {
      checkId: "earlier",
      window: { from: new Date(END - 2 * HOUR).toISOString(), to: new Date(END - HOUR).toISOString() },
      rows: 30,
      estimatedAccuracy: null,
    };
    const inEarlier = labelled("cur", 1.5 / 24, 12, 12);
    const report = finishPerformance({ ...check, rows: 20 }, config, assess(inEarlier, [earlier]), undefined);
    expect(report.current).toMatchObject({
      rows: 50,
      labelled: 12,
      coverage: 12 / 50,
      checkedShare: 2 / (7 * 24),
    });
  });
});
