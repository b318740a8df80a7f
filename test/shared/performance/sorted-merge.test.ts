import { describe, expect, it } from "vitest";
import { mergeSorted } from "#shared/performance/sorted-merge";
import { Random } from "../../support/random.ts";

describe("mergeSorted", () => {
  it("gives the array that sorting both inputs together gives, ties included", () => {
    const random = new Random(3);
    for (let trial = 0; trial < 20; trial++) {
      const a = Float64Array.from({ length: random.int(30) }, () => random.int(10)).sort();
      const b = Float64Array.from({ length: random.int(30) }, () => random.int(10)).sort();
      expect(mergeSorted(a, b)).toEqual(Float64Array.from([...a, ...b]).sort());
    }
  });

  it("copies the other input when one is empty", () => {
    expect(mergeSorted(new Float64Array(0), Float64Array.from([1, 2]))).toEqual(Float64Array.from([1, 2]));
    expect(mergeSorted(Float64Array.from([1, 2]), new Float64Array(0))).toEqual(Float64Array.from([1, 2]));
  });
});
