import { describe, expect, it } from "vitest";
import type { Column } from "#shared/drift/dataset";
import { DatasetSummaryBuilder, mergeSummaries, toDataset } from "#shared/summaries/dataset-summary";

const numbersOf = (column: Column | undefined) =>
  column?.kind === "numeric" ? Array.from(column.values) : [];

describe("toDataset", () => {
  it("gives each numeric column its numbers in ascending order, then NaN for the rows without one", () => {
    const builder = new DatasetSummaryBuilder();
    for (const row of [{ x: 3, y: 1 }, { x: -0, y: 2 }, { y: 3 }, { x: 0 }, { x: -5, y: null }])
      builder.addRow(row);
    const dataset = toDataset(builder.finish());
    expect(numbersOf(dataset.columns.get("x"))).toEqual([-5, -0, 0, 3, Number.NaN]);
    expect(Object.is(numbersOf(dataset.columns.get("x"))[1], -0)).toBe(true);
    expect(numbersOf(dataset.columns.get("y"))).toEqual([1, 2, 3, Number.NaN, Number.NaN]);
  });

  it("is the same data set whatever order the rows arrived in", () => {
    const summaryOf = (values: number[]) => {
      const builder = new DatasetSummaryBuilder();
      for (const x of values) builder.addRow({ x, label: x > 2 ? "high" : "low" });
      return builder.finish();
    };
    const values = [5, 1, 4, 2, 3, 2.5, -1];
    const forwards = toDataset(summaryOf(values));
    const merged = toDataset(
      mergeSummaries(summaryOf(values.slice(4).reverse()), summaryOf(values.slice(0, 4))),
    );
    expect(merged).toEqual(forwards);
  });
});
