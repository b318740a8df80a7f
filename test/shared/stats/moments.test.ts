import { describe, expect, it } from "vitest";
import { sampleMoments } from "../../../shared/stats/moments.ts";

describe("sampleMoments", () => {
  it("gives the mean and the sum of squared deviations from it", () => {
    expect(sampleMoments(new Float64Array([1, 2, 3, 6]))).toEqual({ mean: 3, squaredDeviations: 14 });
    expect(sampleMoments(new Float64Array([5]))).toEqual({ mean: 5, squaredDeviations: 0 });
  });

  it("keeps a small spread around a large mean, where a one-pass formula cancels", () => {
    const values = Float64Array.from({ length: 1000 }, (_, i) => 1e9 + (i % 2));
    const { mean, squaredDeviations } = sampleMoments(values);
    expect(mean).toBe(1e9 + 0.5);
    expect(squaredDeviations).toBe(250);
  });
});
