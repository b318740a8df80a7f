import { describe, expect, it } from "vitest";
import { NotApplicableError } from "../../../shared/stats/not-applicable.ts";
import { wasserstein } from "../../../shared/stats/wasserstein.ts";
import { expectClose } from "../../fixtures/stats-vectors.ts";
import { expectedNumber, numericCases } from "./support/vector-samples.ts";

describe("wasserstein", () => {
  // Reference: scipy 1.10.1 scipy.stats.wasserstein_distance(reference, current); normed divides by
  // max(numpy.std(reference), 0.001).
  it.each(numericCases)("matches scipy wasserstein_distance on $name", ({ reference, current, source }) => {
    const result = wasserstein(reference, current);
    expectClose(result.value, expectedNumber(source, "wasserstein", "value"), `${source.name} value`);
    expectClose(result.normed, expectedNumber(source, "wasserstein", "normed"), `${source.name} normed`);
  });

  it("is 0 between identical samples", () => {
    const sample = new Float64Array([1, 1, 2, 7]);
    expect(wasserstein(sample, sample)).toEqual({ value: 0, normed: 0 });
  });

  it("is the size of a shift, and symmetric", () => {
    const reference = new Float64Array([0, 1, 3]);
    const current = new Float64Array([5, 6, 8]);
    expect(wasserstein(reference, current).value).toBe(5);
    expect(wasserstein(current, reference).value).toBe(5);
  });

  it("weighs each sample by its own size", () => {
    // F_ref jumps to 1 at 0; F_cur is 1/4 on [0, 4): the area between them is 3/4 · 4.
    expect(wasserstein(new Float64Array([0]), new Float64Array([0, 4, 4, 4])).value).toBe(3);
  });

  it("normalises by 0.001 when the reference is constant", () => {
    const result = wasserstein(new Float64Array([2, 2, 2]), new Float64Array([2, 3]));
    expect(result.value).toBe(0.5);
    expectClose(result.normed, 0.5 / 0.001, "normed");
  });

  it("is not applicable to an empty sample (scipy raises)", () => {
    expect(() => wasserstein(new Float64Array([]), new Float64Array([1]))).toThrow(NotApplicableError);
    expect(() => wasserstein(new Float64Array([1]), new Float64Array([]))).toThrow(NotApplicableError);
  });
});
