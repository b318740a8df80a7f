import { describe, expect, it } from "vitest";
import { buildContingencyTable, countTotal, expectedCounts } from "../../../shared/stats/contingency.ts";
import { NotApplicableError } from "../../../shared/stats/not-applicable.ts";
import { categoricalCases } from "./support/vector-samples.ts";

describe("buildContingencyTable", () => {
  it("counts each sample over the union of categories, sorted", () => {
    const table = buildContingencyTable(["b", "a", "a", "c"], ["a", "d", "d"]);
    expect(table.categories).toEqual(["a", "b", "c", "d"]);
    expect([...table.reference]).toEqual([2, 1, 1, 0]);
    expect([...table.current]).toEqual([1, 0, 0, 2]);
  });

  it("leaves out null, undefined, NaN and empty strings and counts them as missing", () => {
    const table = buildContingencyTable(["x", null, "", Number.NaN, undefined, "x"], ["y", null]);
    expect(table.categories).toEqual(["x", "y"]);
    expect([...table.reference]).toEqual([2, 0]);
    expect([...table.current]).toEqual([0, 1]);
    expect(table.missing).toEqual({ reference: 4, current: 1 });
  });

  it("compares values as strings", () => {
    const table = buildContingencyTable([1, "1", true], ["true", 2]);
    expect(table.categories).toEqual(["1", "2", "true"]);
    expect([...table.reference]).toEqual([2, 0, 1]);
    expect([...table.current]).toEqual([0, 1, 1]);
  });

  it("orders categories by code point, as Python's sorted()", () => {
    // UTF-16 order would put the astral U+1F600 (a surrogate pair) before U+FFFD.
    const table = buildContingencyTable(["\u{1F600}", "\uFFFD", "Z", "a"], []);
    expect(table.categories).toEqual(["Z", "a", "\uFFFD", "\u{1F600}"]);
  });

  it.each(categoricalCases)("keeps every value of $name", ({ table, source }) => {
    expect(countTotal(table.reference)).toBe(source.reference.length - source.missing.reference);
    expect(countTotal(table.current)).toBe(source.current.length - source.missing.current);
    expect(table.missing).toEqual(source.missing);
    expect(table.categories).toEqual(
      [...new Set([...source.reference, ...source.current].map(String))].sort(),
    );
  });
});

describe("expectedCounts", () => {
  it("is row total · column total / grand total", () => {
    const expected = expectedCounts({
      categories: ["a", "b", "c"],
      reference: new Float64Array([10, 20, 10]),
      current: new Float64Array([0, 30, 30]),
    });
    // Row totals 40 and 60, column totals 10, 50 and 40, grand total 100.
    expect([...expected.reference]).toEqual([4, 20, 16]);
    expect([...expected.current]).toEqual([6, 30, 24]);
  });

  it("is not applicable when a sample or a category has no values (scipy raises)", () => {
    const emptySample = {
      categories: ["a"],
      reference: new Float64Array([3]),
      current: new Float64Array([0]),
    };
    const emptyCategory = {
      categories: ["a", "b"],
      reference: new Float64Array([3, 0]),
      current: new Float64Array([1, 0]),
    };
    expect(() => expectedCounts(emptySample)).toThrow(NotApplicableError);
    expect(() => expectedCounts(emptyCategory)).toThrow(NotApplicableError);
  });
});
