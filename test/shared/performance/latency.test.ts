import { describe, expect, it } from "vitest";
import { finishLatency, latencyPartial, mergeLatencyPartials } from "#shared/performance/latency";
import { latencyReportSchema } from "#shared/schemas/performance-metrics";
import { Random } from "../../support/random.ts";
import { partitionsOf } from "./support/partitions.ts";

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

describe("mergeLatencyPartials", () => {
  it("gives exactly the report of one pass, however the records are partitioned", () => {
    const random = new Random(9);
    const records = Array.from({ length: 1000 }, () => ({
      latencyMs: random.next() < 0.05 ? undefined : Math.round(random.lognormal(3, 1) * 10) / 10,
      error: random.next() < 0.02,
    }));
    const whole = finishLatency(latencyPartial(records));
    for (let trial = 0; trial < 5; trial++) {
      const merged = partitionsOf(records, 2 + random.int(8), random)
        .map((partition) => latencyPartial(partition))
        .reduce(mergeLatencyPartials);
      expect(finishLatency(merged)).toEqual(whole);
    }
  });
});
