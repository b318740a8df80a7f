import { describe, expect, it } from "vitest";
import { buildContingencyTable } from "../../../shared/stats/contingency.ts";
import { newCategories } from "../../../shared/stats/new-categories.ts";
import { NotApplicableError } from "../../../shared/stats/not-applicable.ts";
import { expectClose } from "../../fixtures/stats-vectors.ts";
import { categoricalCases, expectedNumber } from "./support/vector-samples.ts";

describe("newCategories", () => {
  // Reference: the vectors' newCategories (values in current but not in reference, sorted; share of current rows).
  it.each(categoricalCases)("matches the reference on $name", ({ table, source }) => {
    const result = newCategories(table);
    expect(result.values).toEqual(source.expected.newCategories?.values);
    expectClose(result.share, expectedNumber(source, "newCategories", "share"), `${source.name} share`);
  });

  it("lists every unseen category in order, with the share of rows they take", () => {
    const result = newCategories(buildContingencyTable(["a", "b"], ["z", "a", "y", "y", null]));
    expect(result).toEqual({ values: ["y", "z"], share: 3 / 4 });
  });

  it("ignores categories that only disappeared", () => {
    expect(newCategories(buildContingencyTable(["a", "b"], ["a"]))).toEqual({ values: [], share: 0 });
  });

  it("is not applicable when the current sample has no values", () => {
    expect(() => newCategories(buildContingencyTable(["a"], [null, ""]))).toThrow(NotApplicableError);
  });
});
