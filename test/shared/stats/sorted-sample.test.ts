import { describe, expect, it } from "vitest";
import { sortedSample } from "../../../shared/stats/sorted-sample.ts";

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
