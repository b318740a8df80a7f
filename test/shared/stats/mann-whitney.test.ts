import erfc from "@stdlib/math-base-special-erfc";
import { describe, expect, it } from "vitest";
import { mannWhitneyU } from "../../../shared/stats/mann-whitney.ts";
import { NotApplicableError } from "../../../shared/stats/not-applicable.ts";
import { expectClose } from "../../fixtures/stats-vectors.ts";
import { forEachSplit, splitSamples } from "./support/rank-splits.ts";
import { expectedNumber, numericCases } from "./support/vector-samples.ts";

const f64 = (values: number[]) => Float64Array.from(values);

/** U1 of a split: the number of (reference, current) pairs with the reference value above. */
function statisticU1(inFirst: boolean[]): number {
  let u = 0;
  let currentBelow = 0;
  for (const first of inFirst) {
    if (first) u += currentBelow;
    else currentBelow++;
  }
  return u;
}

describe("mannWhitneyU", () => {
  // Expected values: scipy 1.10.1 scipy.stats.mannwhitneyu(reference, current, alternative="two-sided"),
  // method="auto" (exact for the tie-free 5x7 and 8x8 cases, normal approximation otherwise).
  it.each(numericCases)("matches scipy mannwhitneyu on $name", ({ name, reference, current, source }) => {
    const result = mannWhitneyU(reference, current);
    expectClose(result.statistic, expectedNumber(source, "mannwhitney", "statistic"), `${name} statistic`);
    expectClose(result.pValue, expectedNumber(source, "mannwhitney", "pValue"), `${name} pValue`);
  });

  it.each([
    [1, 1],
    [2, 3],
    [4, 4],
    [5, 7],
    [3, 20],
  ])("gives the exact two-sided p-value for every ordering of %i vs %i distinct values", (n1, n2) => {
    // Exact whenever one sample has at most 8 values and nothing is tied, as scipy 1.10 chooses:
    // p = 2 P(U1' >= max(U1, U2)) over the equally likely orderings, clipped to 1.
    const frequency = new Map<number, number>();
    let total = 0;
    forEachSplit(n1, n2, (inFirst) => {
      const u = statisticU1(inFirst);
      frequency.set(u, (frequency.get(u) ?? 0) + 1);
      total++;
    });
    const shareAtLeast = (u: number) =>
      [...frequency].reduce((sum, [value, count]) => (value >= u ? sum + count : sum), 0) / total;
    forEachSplit(n1, n2, (inFirst) => {
      const { reference, current } = splitSamples(inFirst);
      const result = mannWhitneyU(reference, current);
      const u1 = statisticU1(inFirst);
      expect(result.statistic).toBe(u1);
      expectClose(result.pValue, Math.min(1, 2 * shareAtLeast(Math.max(u1, n1 * n2 - u1))), "pValue");
    });
  });

  it("uses the tie-corrected normal approximation with continuity when values are tied", () => {
    // Pooled 1, 1, 2, 2, 3, 3 have mid-ranks 1.5, 1.5, 3.5, 3.5, 5.5, 5.5: R1 = 6.5, U1 = 0.5, U = 8.5;
    // s² = (9/12)(7 - 3·(2³ - 2)/30) = 4.8, z = (8.5 - 4.5 - 0.5)/sqrt(4.8), p = 2 sf(z) = erfc(z/√2).
    const result = mannWhitneyU(f64([1, 1, 2]), f64([2, 3, 3]));
    expect(result.statistic).toBe(0.5);
    expectClose(result.pValue, erfc(3.5 / Math.sqrt(4.8) / Math.SQRT2), "pValue");
  });

  it("uses the normal approximation when both samples exceed 8 values", () => {
    // 1..9 below 10..18: U1 = 0, U = 81, mean 40.5, s² = (81/12)·19 with no ties.
    const result = mannWhitneyU(f64([1, 2, 3, 4, 5, 6, 7, 8, 9]), f64([10, 11, 12, 13, 14, 15, 16, 17, 18]));
    expect(result.statistic).toBe(0);
    expectClose(result.pValue, erfc(40 / Math.sqrt((81 / 12) * 19) / Math.SQRT2), "pValue");
  });

  it("gives U1 = n1 n2 / 2 and p = 1 for a constant pooled sample", () => {
    expect(mannWhitneyU(f64([4, 4, 4]), f64([4, 4]))).toEqual({ statistic: 3, pValue: 1 });
  });

  it("throws NotApplicableError for an empty sample", () => {
    expect(() => mannWhitneyU(f64([]), f64([1, 2]))).toThrow(NotApplicableError);
    expect(() => mannWhitneyU(f64([1]), f64([]))).toThrow(NotApplicableError);
  });
});
