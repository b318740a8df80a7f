import { describe, expect, it } from "vitest";
import { energyDistance } from "../../../shared/stats/energy-distance.ts";
import { NotApplicableError } from "../../../shared/stats/not-applicable.ts";
import { expectClose } from "../../fixtures/stats-vectors.ts";
import { expectedNumber, numericCases } from "./support/vector-samples.ts";

/** The O(n·m) definition, sqrt(2 E|X - Y| - E|X - X'| - E|Y - Y'|), to check the CDF form against. */
function pairwiseEnergyDistance(x: Float64Array, y: Float64Array): number {
  const meanAbsoluteDifference = (a: Float64Array, b: Float64Array) => {
    let sum = 0;
    for (const u of a) for (const v of b) sum += Math.abs(u - v);
    return sum / (a.length * b.length);
  };
  return Math.sqrt(
    2 * meanAbsoluteDifference(x, y) - meanAbsoluteDifference(x, x) - meanAbsoluteDifference(y, y),
  );
}

describe("energyDistance", () => {
  // Reference: scipy 1.10.1 scipy.stats.energy_distance(reference, current).
  it.each(numericCases)("matches scipy energy_distance on $name", ({ reference, current, source }) => {
    expectClose(energyDistance(reference, current), expectedNumber(source, "energy", "value"), source.name);
  });

  it("agrees with the pairwise definition on the small cases, ties included", () => {
    for (const { reference, current, name } of numericCases.filter((c) => c.reference.length <= 100)) {
      const expected = pairwiseEnergyDistance(reference, current);
      expect(Math.abs(energyDistance(reference, current) - expected), name).toBeLessThan(1e-9 * expected);
    }
  });

  it("is sqrt(2 |x - y|) between two single points", () => {
    expectClose(energyDistance(new Float64Array([0]), new Float64Array([2])), 2, "distance");
  });

  it("is 0 between identical samples", () => {
    const sample = new Float64Array([-1, 0, 0, 3]);
    expect(energyDistance(sample, sample)).toBe(0);
  });

  it("is not applicable to an empty sample (scipy raises)", () => {
    expect(() => energyDistance(new Float64Array([]), new Float64Array([1]))).toThrow(NotApplicableError);
    expect(() => energyDistance(new Float64Array([1]), new Float64Array([]))).toThrow(NotApplicableError);
  });
});
