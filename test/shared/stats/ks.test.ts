import { describe, expect, it } from "vitest";
import { ks2Samp } from "../../../shared/stats/ks.ts";
import { NotApplicableError } from "../../../shared/stats/not-applicable.ts";
import { expectClose } from "../../fixtures/stats-vectors.ts";
import { forEachSplit, shareAtLeast, splitSamples } from "./support/rank-splits.ts";
import { expectedNumber, numericCases } from "./support/vector-samples.ts";

const f64 = (values: number[]) => Float64Array.from(values);

/** n1 n2 D of a split: the largest gap between the two empirical CDFs, scaled to an integer. */
function scaledDistance(inFirst: boolean[]): number {
  const n1 = inFirst.filter(Boolean).length;
  const n2 = inFirst.length - n1;
  let c1 = 0;
  let c2 = 0;
  let max = 0;
  for (const first of inFirst) {
    if (first) c1++;
    else c2++;
    max = Math.max(max, Math.abs(c1 * n2 - c2 * n1));
  }
  return max;
}

describe("ks2Samp", () => {
  // Expected values: scipy 1.10.1 scipy.stats.ks_2samp(reference, current), method="auto": the exact
  // lattice-path p-value up to 10000 observations per sample, kstwo.sf(D, round(n1 n2 / (n1 + n2))) above.
  it.each(numericCases)("matches scipy ks_2samp on $name", ({ name, reference, current, source }) => {
    const result = ks2Samp(reference, current);
    expectClose(result.statistic, expectedNumber(source, "ks", "statistic"), `${name} statistic`);
    expectClose(result.pValue, expectedNumber(source, "ks", "pValue"), `${name} pValue`);
  });

  it.each([
    [1, 1],
    [1, 4],
    [2, 3],
    [3, 3],
    [4, 6],
    [5, 5],
    [7, 2],
  ])("gives the exact permutation p-value of every ordering of %i vs %i distinct values", (n1, n2) => {
    forEachSplit(n1, n2, (inFirst) => {
      const { reference, current } = splitSamples(inFirst);
      const observed = scaledDistance(inFirst);
      const result = ks2Samp(reference, current);
      expectClose(result.statistic, observed / (n1 * n2), "statistic");
      expectClose(result.pValue, shareAtLeast(n1, n2, scaledDistance, observed), "pValue");
    });
  });

  it("gives D = 1 and p = 2 / C(6, 3) when three values all lie below three others", () => {
    const result = ks2Samp(f64([1, 2, 3]), f64([4, 5, 6]));
    expect(result.statistic).toBe(1);
    expectClose(result.pValue, 2 / 20, "pValue");
  });

  it("gives D = 0 and p = 1 for identical samples, constant columns included", () => {
    expect(ks2Samp(f64([1, 2, 3, 4, 5]), f64([1, 2, 3, 4, 5]))).toEqual({ statistic: 0, pValue: 1 });
    expect(ks2Samp(f64([7, 7, 7]), f64([7, 7]))).toEqual({ statistic: 0, pValue: 1 });
  });

  it("lets a constant column differ from another constant column completely", () => {
    // Two values of which one sample takes only the lower: D = 1; p = share of the C(4, 2) orderings
    // of 2 + 2 distinct values with D = 1, i.e. the 2 that separate fully.
    const result = ks2Samp(f64([3, 3]), f64([8, 8]));
    expect(result.statistic).toBe(1);
    expectClose(result.pValue, 2 / 6, "pValue");
  });

  it("steps both empirical CDFs at once on a tie", () => {
    // F_ref = 2/3 and F_cur = 1/3 at 1, both 1 at 2, so D = 1/3; every ordering of 3 + 3 values has a
    // gap of at least 1/3 after its first value, so p = 1.
    const result = ks2Samp(f64([1, 1, 2]), f64([1, 2, 2]));
    expectClose(result.statistic, 1 / 3, "statistic");
    expect(result.pValue).toBe(1);
  });

  it("throws NotApplicableError for an empty sample", () => {
    expect(() => ks2Samp(f64([]), f64([1]))).toThrow(NotApplicableError);
    expect(() => ks2Samp(f64([1]), f64([]))).toThrow(NotApplicableError);
  });
});
