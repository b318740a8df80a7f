import { describe, expect, it } from "vitest";
import { sortColumn } from "#shared/drift/sort-column";
import { Random } from "../../support/random.ts";

const random = new Random(7);
const columns: Record<string, (i: number) => number> = {
  "normal values with 10% missing": () => (random.next() < 0.1 ? Number.NaN : random.normal()),
  "integers with ties": () => random.int(20) - 10,
  "every special value": () =>
    [0, -0, Infinity, -Infinity, Number.NaN, 5e-324, -5e-324, 1e308, -1e308, 1, -1][random.int(11)] as number,
  "magnitudes from 1e-11 to 1e11, both signs": () =>
    Math.exp(random.next() * 50 - 25) * (random.next() < 0.5 ? -1 : 1),
  "values differing only far down the mantissa": (i) => 1e15 + ((i * 7919) % 100_003),
  "one repeated value": () => 3,
};

/** The obvious implementation the radix sort must agree with: the built-in sort, NaN (last) cut off. */
function builtInSortWithoutNaN(values: Float64Array): Float64Array {
  const sorted = Float64Array.from(values).sort();
  let end = sorted.length;
  while (end > 0 && Number.isNaN(sorted[end - 1])) end--;
  return sorted.subarray(0, end);
}

describe("sortColumn", () => {
  it.each(Object.entries(columns))("sorts %s exactly as the built-in sort does", (_, draw) => {
    for (const length of [0, 1, 100, 40_000]) {
      const values = Float64Array.from({ length }, (_, i) => draw(i));
      const expected = builtInSortWithoutNaN(values);
      const { sorted, missing } = sortColumn(values);
      expect(missing).toBe(length - expected.length);
      expect(sorted.length).toBe(expected.length);
      expect(sorted.every((value, i) => Object.is(value, expected[i]))).toBe(true);
    }
  });

  it("leaves the column it sorts untouched", () => {
    const values = Float64Array.from({ length: 40_000 }, () => random.normal());
    const copy = values.slice();
    sortColumn(values);
    expect(values).toEqual(copy);
  });

  it("copies a column into an ascending Float64Array without its NaN values", () => {
    const column = Float64Array.from([3, Number.NaN, -1, 2, Number.NaN, 2]);
    expect(Array.from(sortColumn(column).sorted)).toEqual([-1, 2, 2, 3]);
    expect(column[0]).toBe(3);
  });

  it("sorts numerically rather than as strings, and keeps infinities", () => {
    const column = Float64Array.from([10, 9, Number.POSITIVE_INFINITY, 100, Number.NEGATIVE_INFINITY]);
    expect(Array.from(sortColumn(column).sorted)).toEqual([
      Number.NEGATIVE_INFINITY,
      9,
      10,
      100,
      Number.POSITIVE_INFINITY,
    ]);
  });

  it("gives a column already in order back as a copy, and tells -0 after 0 from order", () => {
    const inOrder = Float64Array.from({ length: 40_000 }, (_, i) => (i < 20_000 ? -1 : i % 7)).sort();
    const ties = Float64Array.from([-2, -0, -0, 0, 0, 3, Number.NaN, Number.NaN]);
    for (const values of [inOrder, ties, Float64Array.from([0, -0, 1])]) {
      const expected = builtInSortWithoutNaN(values);
      const { sorted } = sortColumn(values);
      expect(sorted.every((value, i) => Object.is(value, expected[i]))).toBe(true);
      expect(sorted.buffer).not.toBe(values.buffer);
    }
  });

  it("gives an empty sample for an empty or all-missing column", () => {
    expect(sortColumn(new Float64Array()).sorted.length).toBe(0);
    expect(sortColumn(Float64Array.from([Number.NaN, Number.NaN])).sorted.length).toBe(0);
  });
});
