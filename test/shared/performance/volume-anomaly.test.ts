import { describe, expect, it } from "vitest";
import { volumeAnomaly } from "#shared/performance/volume-anomaly";
import { volumeAnomalySchema } from "#shared/schemas/performance-metrics";

describe("volumeAnomaly", () => {
  it("scores the current count against the trailing mean and sample standard deviation", () => {
    // Trailing 100, 110, 90, 100: mean 100, Σ(x − x̄)² = 200, s = √(200 / 3); z = (130 − 100) / s.
    const anomaly = volumeAnomaly(130, [100, 110, 90, 100]);
    expect(anomaly).toEqual({
      count: 130,
      trailingWindows: 4,
      trailingMean: 100,
      trailingSd: Math.sqrt(200 / 3),
      zScore: 30 / Math.sqrt(200 / 3),
    });
    expect(volumeAnomalySchema.parse(anomaly)).toEqual(anomaly);
    expect(volumeAnomaly(70, [100, 110, 90, 100]).zScore).toBeCloseTo(-30 / Math.sqrt(200 / 3), 12);
  });

  it("needs at least two trailing windows", () => {
    expect(volumeAnomaly(5, [])).toEqual({
      count: 5,
      trailingWindows: 0,
      zScore: { notApplicable: "there are no trailing windows to compare with" },
    });
    expect(volumeAnomaly(5, [4])).toEqual({
      count: 5,
      trailingWindows: 1,
      trailingMean: 4,
      zScore: { notApplicable: "a z-score needs at least two trailing windows for a standard deviation" },
    });
  });

  it("scores an unchanged count against steady traffic as 0 and a changed one as unbounded, never Infinity", () => {
    expect(volumeAnomaly(50, [50, 50, 50]).zScore).toBe(0);
    const outage = volumeAnomaly(0, [50, 50, 50]);
    expect(outage).toEqual({
      count: 0,
      trailingWindows: 3,
      trailingMean: 50,
      trailingSd: 0,
      zScore: {
        notApplicable:
          "every trailing window had 50 requests, so the z-score of 0 is unbounded (the counts do not vary)",
      },
    });
    expect(volumeAnomalySchema.safeParse(outage).success).toBe(true);
  });
});
