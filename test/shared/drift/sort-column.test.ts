import { describe, expect, it } from "vitest";
import { sortColumn } from "#shared/drift/sort-column";
import { sortedSample } from "#shared/stats/sorted-sample";
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

describe("sortColumn", () => {
  it.each(Object.entries(columns))("sorts %s exactly as sortedSample does", (_, draw) => {
    for (const length of [0, 1, 100, 40_000]) {
      const values = Float64Array.from({ length }, (_, i) => draw(i));
      const expected = sortedSample(values);
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
});
