import { describe, expect, it } from "vitest";
import { tieGroups } from "../../../shared/stats/tie-groups.ts";

/** Each group as [countA, countB, observations below it]. */
function groups(a: number[], b: number[]): [number, number, number][] {
  const { size, countA, countB } = tieGroups(Float64Array.from(a), Float64Array.from(b));
  const seen: [number, number, number][] = [];
  let below = 0;
  for (let g = 0; g < size; g++) {
    seen.push([countA[g] as number, countB[g] as number, below]);
    below += (countA[g] as number) + (countB[g] as number);
  }
  return seen;
}

describe("tieGroups", () => {
  it("lists each distinct pooled value once, in order, with its count per sample", () => {
    expect(groups([1, 2, 2, 5], [2, 3, 5, 5])).toEqual([
      [1, 0, 0],
      [2, 1, 1],
      [0, 1, 4],
      [1, 2, 5],
    ]);
  });

  it("yields scipy's average ranks: the mean of the 1-based positions a tie group occupies", () => {
    // Pooled and sorted: 1, 2, 2, 2, 3, 5, 5, 5, so the 2s hold positions 2..4 and the 5s 6..8.
    const ranks = groups([1, 2, 2, 5], [2, 3, 5, 5]).map(([a, b, below]) => below + (a + b + 1) / 2);
    expect(ranks).toEqual([1, 3, 5, 7]);
  });

  it("walks a sample alone when the other is empty, and has no groups when both are", () => {
    expect(groups([], [4, 4, 6])).toEqual([
      [0, 2, 0],
      [0, 1, 2],
    ]);
    expect(groups([], [])).toEqual([]);
  });

  it("treats -0 and 0 as one value, as scipy's ranking does", () => {
    expect(groups([-0, 1], [0])).toEqual([
      [1, 1, 0],
      [1, 0, 2],
    ]);
  });
});
