import { describe, expect, it } from "vitest";
import { moodTest } from "#shared/drift/mood";
import { NotApplicableError } from "#shared/stats/not-applicable";
import { expectClose } from "../../fixtures/stats-vectors.ts";

const sorted = (values: number[]) => Float64Array.from(values).sort();

describe("moodTest", () => {
  // Reference: scipy.stats.mood(reference, current) (scipy 1.17.1; its tie handling, Mielke's averaged
  // scores, is the one scipy has had since 1.9).
  it.each([
    {
      reference: [1, 2, 3, 4, 5],
      current: [-10, 0, 3, 6, 20],
      z: -1.981734777227449,
      p: 0.04750893270660875,
    },
    {
      reference: [1, 1, 2, 2, 3, 3, 3, 4],
      current: [0, 1, 2, 5, 5, 5, 6],
      z: -2.382655161603664,
      p: 0.017188286791975947,
    },
    {
      reference: [0.1, 0.5, 0.7, 1.2, 3.3, 3.3],
      current: [2, 2, 2, 0.5, 9, -4, 7, 1.2],
      z: -0.40282763235803637,
      p: 0.6870750317802172,
    },
  ])("matches scipy.stats.mood on $reference vs $current", ({ reference, current, z, p }) => {
    const result = moodTest(sorted(reference), sorted(current));
    expectClose(result.statistic, z, "z");
    expectClose(result.pValue, p, "p");
  });

  it("finds a 1.8x wider sample with many ties (values rounded to 0.1)", () => {
    const reference = [
      0.1, -0.1, 0.6, 0.1, -0.5, 0.4, 1.3, 0.9, -0.7, -1.3, -0.6, 0, -2.3, -0.2, -1.2, -0.7, -0.5, -0.3, 0.4,
      1, -0.1, 1.4, -0.7, 0.4, 0.9, 0.1, -0.7, -0.9, -0.5, 0.2, -1, -0.2, -0.2, 0.5, 0.2, 0.4, -0.7, -0.1,
      0.8, 1.5,
    ];
    const current = [
      -2.3, 2.7, 2.4, 1.4, 0.5, -0.6, 2.6, 3.5, 3.2, 2.4, 0.6, -2.2, -0, 1.2, -2.3, 0.7, 0.8, 1.3, -2.1, -1.2,
      -0.8, -2.1, 3.1, -0.9, 0.6, -0.5, 2.9, 2.4, 1.1, -4, 0.1, 1.2, 1.8, -1.1, 3.3, -2.4, -1.2, 1.7, 0.1,
      3.6, 0.3, -1.1, -0.7, -2, -2.3, 1.1, 1, 2.3, -1.4, 3,
    ];
    const result = moodTest(sorted(reference), sorted(current));
    expectClose(result.statistic, -4.899846473543933, "z");
    expectClose(result.pValue, 9.59115724935299e-7, "p");
  });

  it("is not applicable to an empty sample or a single repeated value", () => {
    expect(() => moodTest(new Float64Array(0), sorted([1, 2]))).toThrow(NotApplicableError);
    expect(() => moodTest(sorted([3, 3]), sorted([3, 3, 3]))).toThrow(NotApplicableError);
  });
});
