import { describe, expect, it } from "vitest";
import { forEachTieGroup, sortedSample } from "../../../shared/stats/sorted-sample.ts";

describe("sortedSample", () => {
  it("copies a column into an ascending Float64Array without its NaN values", () => {
    const column = [3, Number.NaN, -1, 2, Number.NaN, 2];
    expect(Array.from(sortedSample(column))).toEqual([-1, 2, 2, 3]);
    expect(column[0]).toBe(3); // the input is left as it was
  });

  it("accepts a Float64Array, sorts numerically rather than as strings, and keeps infinities", () => {
    const column = Float64Array.from([10, 9, Number.POSITIVE_INFINITY, 100, Number.NEGATIVE_INFINITY]);
    expect(Array.from(sortedSample(column))).toEqual([
      Number.NEGATIVE_INFINITY,
      9,
      10,
      100,
      Number.POSITIVE_INFINITY,
    ]);
    expect(Array.from(column)).toEqual([10, 9, Number.POSITIVE_INFINITY, 100, Number.NEGATIVE_INFINITY]);
  });

  it("gives an empty sample for an empty or all-missing column", () => {
    expect(sortedSample([]).length).toBe(0);
    expect(sortedSample([Number.NaN, Number.NaN]).length).toBe(0);
  });
});

describe("forEachTieGroup", () => {
  function groups(a: number[], b: number[]): [number, number, number][] {
    const seen: [number, number, number][] = [];
    forEachTieGroup(Float64Array.from(a), Float64Array.from(b), (countA, countB, below) =>
      seen.push([countA, countB, below]),
    );
    return seen;
  }

  it("visits each distinct pooled value once, in order, with its count per sample and the count below", () => {
    expect(groups([1, 2, 2, 5], [2, 3, 5, 5])).toEqual([
      [1, 0, 0],
      [2, 1, 1],
      [0, 1, 4],
      [1, 2, 5],
    ]);
  });

  it("yields scipy's average ranks: the mean of the 1-based positions a tie group occupies", () => {
    // Pooled and sorted: 1, 2, 2, 2, 3, 5, 5, 5, so the 2s hold positions 2..4 and the 5s 6..8.
    const ranks: number[] = [];
    forEachTieGroup(
      Float64Array.from([1, 2, 2, 5]),
      Float64Array.from([2, 3, 5, 5]),
      (countA, countB, below) => ranks.push(below + (countA + countB + 1) / 2),
    );
    expect(ranks).toEqual([1, 3, 5, 7]);
  });

  it("walks a sample alone when the other is empty, and visits nothing when both are", () => {
    expect(groups([], [4, 4, 6])).toEqual([
      [0, 2, 0],
      [0, 1, 2],
    ]);
    expect(groups([], [])).toEqual([]);
  });
});
