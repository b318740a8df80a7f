import { describe, expect, it } from "vitest";
import {
  hellinger,
  jensenShannon,
  kl,
  PROPORTION_FLOOR,
  proportions,
  psi,
  totalVariation,
} from "../../../shared/stats/binned-divergences.ts";
import { countSortedIntoBins, decileEdges } from "../../../shared/stats/decile-bins.ts";
import { NotApplicableError } from "../../../shared/stats/not-applicable.ts";
import { expectClose, vectors } from "../../fixtures/stats-vectors.ts";
import { categoricalCases, expectedNumber, numericCases } from "./support/vector-samples.ts";

const measures = { psi, kl, js: jensenShannon, hellinger, tvd: totalVariation };

// Reference: the contract's definitions as computed by the vectors' generator (scipy 1.10.1, numpy):
// js = scipy.spatial.distance.jensenshannon(r, c, base=2); bins from numpy.quantile deciles.
describe.each(Object.entries(measures))("%s", (name, measure) => {
  it.each(numericCases)(
    `matches the reference ${name} over decile bins on $name`,
    ({ reference, current, source }) => {
      const edges = decileEdges(reference);
      const r = proportions(countSortedIntoBins(edges, reference));
      const c = proportions(countSortedIntoBins(edges, current));
      expectClose(measure(r, c), expectedNumber(source, name, "value"), source.name);
    },
  );

  it.each(categoricalCases)(`matches the reference ${name} over categories on $name`, ({ table, source }) => {
    const r = proportions(table.reference);
    const c = proportions(table.current);
    expectClose(measure(r, c), expectedNumber(source, name, "value"), source.name);
  });

  it("is 0 between identical distributions", () => {
    const r = proportions(new Float64Array([3, 0, 5, 1, 1]));
    expect(measure(r, r)).toBe(0);
  });

  it("rejects vectors over different bins", () => {
    expect(() => measure(new Float64Array([0.5, 0.5]), new Float64Array([1]))).toThrow(RangeError);
  });
});

describe("binned divergences on disjoint distributions", () => {
  const r = new Float64Array([1, 0]);
  const c = new Float64Array([0, 1]);

  it("reach the maximum of the bounded distances", () => {
    expect(jensenShannon(r, c)).toBe(1);
    expect(hellinger(r, c)).toBe(1);
    expect(totalVariation(r, c)).toBe(1);
  });

  it("see an empty bin as holding the floor in psi and kl", () => {
    const floor = PROPORTION_FLOOR;
    expect(floor).toBe(vectors.floor);
    expectClose(psi(r, c), 2 * (1 - floor) * Math.log(1 / floor), "psi");
    expectClose(kl(r, c), floor * Math.log(floor) + Math.log(1 / floor), "kl");
  });
});

describe("hellinger", () => {
  it("is exactly 0 between identical distributions whose root affinity rounds below 1", () => {
    // Σ sqrt(r · r) of these proportions sums to 1 - 1.1e-16, so sqrt(1 - Σ) would be 1.05e-8.
    const r = proportions(new Float64Array([7, 383, 66, 417, 686, 588, 930, 846]));
    expect(hellinger(r, r)).toBe(0);
  });

  it("keeps its digits for a tiny distance", () => {
    const r = new Float64Array([0.5, 0.5]);
    const c = new Float64Array([0.5 + 1e-9, 0.5 - 1e-9]);
    // ½ Σ (sqrt(r) - sqrt(c))² = 1e-18 / 2 to first order, so the distance is 1e-9 / sqrt(2).
    expectClose(hellinger(r, c), 1e-9 / Math.SQRT2, "hellinger");
  });
});

describe("jensenShannon", () => {
  it("renormalises its inputs as scipy does", () => {
    const r = new Float64Array([0.2, 0.8]);
    const c = new Float64Array([0.6, 0.4]);
    expectClose(
      jensenShannon(
        r.map((x) => x * 5),
        c.map((x) => x * 3),
      ),
      jensenShannon(r, c),
      "js",
    );
  });
});

describe("proportions", () => {
  it("divides each count by the total", () => {
    expect([...proportions(new Float64Array([1, 3, 0]))]).toEqual([0.25, 0.75, 0]);
  });

  it("is not applicable to an empty sample", () => {
    expect(() => proportions(new Float64Array([0, 0]))).toThrow(NotApplicableError);
    expect(() => proportions(new Float64Array([]))).toThrow(NotApplicableError);
  });
});
