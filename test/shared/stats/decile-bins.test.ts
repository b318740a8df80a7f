import { describe, expect, it } from "vitest";
import { countIntoBins, countSortedIntoBins, decileEdges } from "../../../shared/stats/decile-bins.ts";
import { NotApplicableError } from "../../../shared/stats/not-applicable.ts";
import { numericCases } from "./support/vector-samples.ts";

/** A fixed permutation of the sample (reversed halves interleaved), to feed the unsorted counter. */
function shuffled(sorted: Float64Array): Float64Array {
  const out = new Float64Array(sorted.length);
  for (let i = 0; i < sorted.length; i++)
    out[i] = sorted[i % 2 === 0 ? sorted.length - 1 - i / 2 : (i - 1) / 2] as number;
  return out;
}

describe("decileEdges", () => {
  it("takes the deciles at the virtual index (n - 1)·q", () => {
    const reference = Float64Array.from({ length: 11 }, (_, i) => i + 1);
    expect([...decileEdges(reference)]).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it("interpolates from the upper neighbour from g = 0.5 on, as numpy's _lerp", () => {
    // numpy.quantile([0.9, 3.03, 3.67, 3.7, 4.1, 4.8, 5.9, 7.78, 8.3, 8.46], 0.1) == 2.8169999999999997
    // (3.03 - 2.13 · 0.1), not the 2.817 of 0.9 + 2.13 · 0.9.
    const reference = new Float64Array([0.9, 3.03, 3.67, 3.7, 4.1, 4.8, 5.9, 7.78, 8.3, 8.46]);
    const edges = decileEdges(reference);
    expect(edges[0]).toBe(2.8169999999999997);
    // A value lying exactly on that edge belongs to the bin on its right.
    expect([...countSortedIntoBins(edges, new Float64Array([2.8169999999999997]))].indexOf(1)).toBe(1);
  });

  it("keeps only distinct edges", () => {
    // numpy.unique(numpy.quantile([1] * 9 + [2], deciles)) == [1.0, 1.0999999999999996]
    expect([...decileEdges(new Float64Array([1, 1, 1, 1, 1, 1, 1, 1, 1, 2]))]).toEqual([
      1, 1.0999999999999996,
    ]);
    expect([...decileEdges(new Float64Array([4, 4, 4]))]).toEqual([4]);
    expect([...decileEdges(new Float64Array([7]))]).toEqual([7]);
  });

  it.each(numericCases)(
    "gives ascending distinct edges inside the reference range on $name",
    ({ reference }) => {
      const edges = decileEdges(reference);
      expect(edges.length).toBeGreaterThan(0);
      expect(edges.length).toBeLessThanOrEqual(9);
      for (let k = 1; k < edges.length; k++)
        expect(edges[k] as number).toBeGreaterThan(edges[k - 1] as number);
      expect(edges[0] as number).toBeGreaterThanOrEqual(reference[0] as number);
      expect(edges[edges.length - 1] as number).toBeLessThanOrEqual(
        reference[reference.length - 1] as number,
      );
    },
  );

  it("is not applicable to an empty reference", () => {
    expect(() => decileEdges(new Float64Array([]))).toThrow(NotApplicableError);
  });
});

describe("countSortedIntoBins and countIntoBins", () => {
  it("put a value equal to an edge in the bin on its right", () => {
    const edges = new Float64Array([2, 4]);
    const values = new Float64Array([1, 2, 3, 4, 5]);
    expect([...countSortedIntoBins(edges, values)]).toEqual([1, 2, 2]);
    expect([...countIntoBins(edges, shuffled(values))]).toEqual([1, 2, 2]);
  });

  it("open the outer bins to -inf and +inf", () => {
    const edges = new Float64Array([0]);
    const values = new Float64Array([-1e300, -1, 0, 1e300]);
    expect([...countSortedIntoBins(edges, values)]).toEqual([2, 2]);
    expect([...countIntoBins(edges, values)]).toEqual([2, 2]);
  });

  it("count an empty sample as zeros", () => {
    expect([...countSortedIntoBins(new Float64Array([1, 2]), new Float64Array([]))]).toEqual([0, 0, 0]);
    expect([...countIntoBins(new Float64Array([1, 2]), new Float64Array([]))]).toEqual([0, 0, 0]);
  });

  it.each(numericCases)("agree with each other and keep every value on $name", ({ reference, current }) => {
    const edges = decileEdges(reference);
    for (const sample of [reference, current]) {
      const counts = countSortedIntoBins(edges, sample);
      expect([...countIntoBins(edges, shuffled(sample))]).toEqual([...counts]);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(sample.length);
    }
  });
});
