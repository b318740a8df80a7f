import { describe, expect, it } from "vitest";
import type { CategoricalColumn, NumericColumn } from "#shared/drift/dataset";
import { featureHistogram } from "#shared/drift/feature-histogram";

const numeric = (values: number[]): NumericColumn => ({ kind: "numeric", values: Float64Array.from(values) });
const categorical = (values: (string | null)[]): CategoricalColumn => {
  const dictionary = [...new Set(values.filter((value) => value !== null))] as string[];
  return {
    kind: "categorical",
    codes: Int32Array.from(values.map((value) => (value === null ? -1 : dictionary.indexOf(value)))),
    dictionary,
  };
};

describe("featureHistogram", () => {
  it("gives a small integer range one bin per value, shares of the non-missing values", () => {
    const histogram = featureHistogram(numeric([0, 1, 1, Number.NaN]), numeric([2, 2, 1, 0]));
    expect(histogram.bins).toEqual([
      { label: "0", reference: 1 / 3, current: 0.25 },
      { label: "1", reference: 2 / 3, current: 0.25 },
      { label: "2", reference: 0, current: 0.5 },
    ]);
  });

  it("shares 24 equal-width bins between the samples, the outer bins taking the far tails", () => {
    const reference = Array.from({ length: 1000 }, (_, i) => i / 1000);
    const histogram = featureHistogram(numeric([...reference, 1e6]), numeric(reference.map((v) => v + 0.5)));
    expect(histogram.bins).toHaveLength(24);
    const sum = (series: "reference" | "current") =>
      histogram.bins.reduce((total, bin) => total + bin[series], 0);
    expect(sum("reference")).toBeCloseTo(1, 12);
    expect(sum("current")).toBeCloseTo(1, 12);
    expect(histogram.bins.at(-1)?.label).toMatch(/^≥ /);
    // The far outlier lands in the last bin instead of stretching the range.
    expect(histogram.bins.at(-1)?.reference).toBeGreaterThan(0);
    expect(histogram.bins[0]?.current).toBe(0);
  });

  it("shows one bin for a constant feature and none for an all-missing one", () => {
    expect(featureHistogram(numeric([2.5, 2.5]), numeric([2.5])).bins).toEqual([
      { label: "2.5", reference: 1, current: 1 },
    ]);
    expect(featureHistogram(numeric([Number.NaN]), numeric([Number.NaN])).bins).toEqual([]);
  });

  it("compares categories by text across dictionaries, the most common first, summing up the rest", () => {
    const histogram = featureHistogram(categorical(["a", "b", "b", null]), categorical(["b", "c", "c", "c"]));
    expect(histogram.bins).toEqual([
      { label: "c", reference: 0, current: 0.75 },
      { label: "b", reference: 2 / 3, current: 0.25 },
      { label: "a", reference: 1 / 3, current: 0 },
    ]);
    const many = Array.from({ length: 30 }, (_, i) => `k${i}`);
    const grouped = featureHistogram(categorical(many), categorical(many));
    expect(grouped.bins).toHaveLength(15);
    expect(grouped.others?.categories).toBe(15);
    expect(grouped.others?.reference).toBeCloseTo(0.5, 12);
    expect(grouped.others?.current).toBeCloseTo(0.5, 12);
  });
});
