import { describe, expect, it } from "vitest";
import type { ContingencyTable } from "../../../shared/stats/contingency.ts";
import { fisherExact } from "../../../shared/stats/fisher-exact.ts";
import { NotApplicableError } from "../../../shared/stats/not-applicable.ts";
import { expectClose } from "../../fixtures/stats-vectors.ts";
import {
  categoricalCases,
  categoricalCasesWith,
  expectedNumber,
  vectorCase,
} from "./support/vector-samples.ts";

/** The 2 x 2 table [[a, b], [c, d]]: reference counts a, b and current counts c, d. */
function table(a: number, b: number, c: number, d: number): ContingencyTable {
  return { categories: ["x", "y"], reference: new Float64Array([a, b]), current: new Float64Array([c, d]) };
}

function binomial(n: number, k: number): bigint {
  let result = 1n;
  for (let i = 1; i <= k; i++) result = (result * BigInt(n - k + i)) / BigInt(i);
  return result;
}

/**
 * The two-sided p-value from its definition, in exact integer arithmetic: the probability of every table
 * with the same margins that is no more likely than the observed one.
 */
function exactPValue(a: number, b: number, c: number, d: number): number {
  const weight = (x: number) => binomial(a + b, x) * binomial(c + d, a + c - x);
  const observed = weight(a);
  let sum = 0n;
  for (let x = Math.max(0, a - d); x <= Math.min(a + c, a + b); x++) {
    const w = weight(x);
    if (w <= observed) sum += w;
  }
  const total = binomial(a + b + c + d, a + c);
  // Both integers overflow a double for the larger tables; scale the quotient to 64 significant bits first.
  const shift = Math.max(0, total.toString(2).length - sum.toString(2).length + 64);
  return Number((sum << BigInt(shift)) / total) / 2 ** shift;
}

describe("fisherExact", () => {
  // Reference: scipy 1.10.1 scipy.stats.fisher_exact([[ref_0, ref_1], [cur_0, cur_1]]).
  it.each(categoricalCasesWith("fisher"))("matches scipy fisher_exact on $name", ({ table, source }) => {
    const result = fisherExact(table);
    expectClose(result.statistic, expectedNumber(source, "fisher", "statistic"), `${source.name} statistic`);
    expectClose(result.pValue, expectedNumber(source, "fisher", "pValue"), `${source.name} pValue`);
  });

  it("reproduces the example of scipy's documentation", () => {
    // scipy 1.10 fisher_exact docstring: fisher_exact([[6, 2], [1, 4]]).pvalue == 0.10256410256410257
    const result = fisherExact(table(6, 2, 1, 4));
    expect(result.statistic).toBe(12);
    expectClose(result.pValue, 0.10256410256410257, "pValue");
  });

  it.each<[string, [number, number, number, number]]>([
    ["equal rows, mirror-image tie", [3, 1, 1, 3]],
    ["equal rows, far tail", [30, 20, 20, 30]],
    ["equal columns, mirror-image tie", [30, 10, 20, 40]],
    ["asymmetric", [7, 13, 21, 5]],
    ["asymmetric, observed above the mode", [21, 5, 7, 13]],
    ["a zero cell", [0, 12, 9, 3]],
    ["larger counts", [400, 320, 350, 330]],
    ["tiny p-value", [90, 10, 10, 90]],
  ])("sums every table no more likely than the observed one (%s)", (_, [a, b, c, d]) => {
    expectClose(fisherExact(table(a, b, c, d)).pValue, exactPValue(a, b, c, d), "pValue");
  });

  it("gives p = 1 when the observed table is the most likely one", () => {
    expect(fisherExact(table(2, 2, 2, 2)).pValue).toBe(1);
  });

  it("reports an infinite odds ratio when b or c is 0, as scipy", () => {
    const result = fisherExact(table(5, 0, 3, 7));
    expect(result.statistic).toBe(Number.POSITIVE_INFINITY);
    expectClose(result.pValue, exactPValue(5, 0, 3, 7), "pValue");
  });

  it("is not applicable when a row or a column is empty (scipy: NaN odds ratio)", () => {
    expect(() => fisherExact(table(0, 0, 3, 4))).toThrow(NotApplicableError);
    expect(() => fisherExact(table(0, 5, 0, 4))).toThrow(NotApplicableError);
  });

  it("is not applicable unless there are exactly two categories", () => {
    const many = vectorCase(categoricalCases, "categorical-5cats-1000x800");
    expect(() => fisherExact(many.table)).toThrow(NotApplicableError);
  });
});
