import { describe, expect, it } from "vitest";
import { cdfGapIntegrals } from "../../../shared/stats/cdf-distance.ts";
import { numericCases } from "./support/vector-samples.ts";

describe("cdfGapIntegrals", () => {
  it("integrates |F_ref - F_cur| and its square over the gaps of the pooled sample", () => {
    // F_ref - F_cur is 1/2 on [0, 1) and -1/2 on [1, 2).
    expect(cdfGapIntegrals(new Float64Array([0, 1]), new Float64Array([1, 2]))).toEqual({
      absolute: 1,
      squared: 0.5,
    });
  });

  it("gives zero-width gaps to tied values", () => {
    // F_ref - F_cur is 1/3 on [1, 2) whether the 1s of the two samples are interleaved or not.
    const reference = new Float64Array([1, 1, 2]);
    expect(cdfGapIntegrals(reference, new Float64Array([1, 2, 2])).absolute).toBe(1 / 3);
    expect(cdfGapIntegrals(reference, reference)).toEqual({ absolute: 0, squared: 0 });
  });

  it.each(numericCases)(
    "is the same bit for bit with the samples swapped on $name",
    ({ reference, current }) => {
      expect(cdfGapIntegrals(current, reference)).toEqual(cdfGapIntegrals(reference, current));
    },
  );
});
