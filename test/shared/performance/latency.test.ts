import { describe, expect, it } from "vitest";
import { finishLatency, type LatencyPartial } from "#shared/performance/latency";
import type { PredictionRecord } from "#shared/schemas/prediction-record";

/** The partial a check builds from its window: every record counted, the logged latencies sorted. */
function latencyPartial(records: readonly Pick<PredictionRecord, "latencyMs" | "error">[]): LatencyPartial {
  return {
    records: records.length,
    errors: records.filter((record) => record.error === true).length,
    latencies: Float64Array.from(
      records.flatMap((record) => (record.latencyMs === undefined ? [] : [record.latencyMs])),
    ).sort(),
  };
}

import { latencyReportSchema } from "#shared/schemas/performance-metrics";

describe("finishLatency", () => {
  it("gives numpy's linearly interpolated p50, p95 and p99, the count and the error rate", () => {
    // Latencies 10, 20, ..., 100 (n = 10): h = 9q, so p50 = 55, p95 at h = 8.55 -> 95.5, p99 at h = 8.91 -> 99.1.
    const records = Array.from({ length: 10 }, (_, i) => ({ latencyMs: 10 * (10 - i), error: i < 2 }));
    const report = finishLatency(latencyPartial([...records, { error: true }, {}]));
    expect(report.records).toBe(12);
    expect(report.errors).toBe(3);
    expect(report.errorRate).toBe(0.25);
    expect(report.timed).toBe(10);
    expect(report.p50).toBe(55);
    expect(report.p95).toBeCloseTo(95.5, 12);
    expect(report.p99).toBeCloseTo(99.1, 12);
    expect(latencyReportSchema.parse(report)).toEqual(report);
  });

  it("matches numpy.percentile's docstring example", () => {
    // numpy.percentile docs: a = [[10, 7, 4], [3, 2, 1]]; np.percentile(a, 50) -> 3.5
    const report = finishLatency(latencyPartial([10, 7, 4, 3, 2, 1].map((latencyMs) => ({ latencyMs }))));
    expect(report.p50).toBe(3.5);
  });

  it("reports percentiles as not applicable when no record logged a latency", () => {
    const report = finishLatency(latencyPartial([{ error: false }, { error: true }]));
    const untimed = { notApplicable: "no record in the window logged latencyMs" };
    expect(report).toEqual({
      records: 2,
      errors: 1,
      errorRate: 0.5,
      timed: 0,
      p50: untimed,
      p95: untimed,
      p99: untimed,
    });
  });

  it("reports the error rate as not applicable for an empty window", () => {
    expect(finishLatency(latencyPartial([])).errorRate).toEqual({ notApplicable: "no record in the window" });
  });
});
