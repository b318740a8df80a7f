import { describe, expect, it } from "vitest";
import { cdfGapIntegral } from "../../../shared/stats/cdf-distance.ts";
import { numericCases } from "./support/vector-samples.ts";

describe("cdfGapIntegral", () => {
  it("integrates |F_ref - F_cur| over the gaps of the pooled sample", () => {
    // F_ref - F_cur is 1/2 on [0, 1) and -1/2 on [1, 2).
    expect(cdfGapIntegral(new Float64Array([0, 1]), new Float64Array([1, 2]), 1)).toBe(1);
    expect(cdfGapIntegral(new Float64Array([0, 1]), new Float64Array([1, 2]), 2)).toBe(0.5);
  });

  it("gives zero-width gaps to tied values", () => {
    // F_ref - F_cur is 1/3 on [1, 2) whether the 1s of the two samples are interleaved or not.
    const reference = new Float64Array([1, 1, 2]);
    expect(cdfGapIntegral(reference, new Float64Array([1, 2, 2]), 1)).toBe(1 / 3);
    expect(cdfGapIntegral(reference, reference, 1)).toBe(0);
  });

  it.each(numericCases)(
    "is the same bit for bit with the samples swapped on $name",
    ({ reference, current }) => {
      for (const power of [1, 2] as const) {
        expect(cdfGapIntegral(current, reference, power)).toBe(cdfGapIntegral(reference, current, power));
      }
    },
  );
});
