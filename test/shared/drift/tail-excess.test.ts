import { describe, expect, it } from "vitest";
import { tailExcessTest } from "#shared/drift/tail-excess";
import { attempt, isNotApplicable } from "#shared/drift/test-outcome";
import { NotApplicableError } from "#shared/stats/not-applicable";
import { Random } from "../../support/random.ts";

const sorted = (values: Iterable<number>) => Float64Array.from(values).sort();

function normalSample(random: Random, size: number, burst?: { fraction: number; factor: number }) {
  return sorted(
    Array.from({ length: size }, () => {
      const value = random.normal();
      return burst && random.next() < burst.fraction ? value * burst.factor : value;
    }),
  );
}

describe("tailExcessTest", () => {
  it("gives the hypergeometric chance that every far-out value is a current one", () => {
    // Pooled quartiles 3 and 7.25, so the upper fence is 7.25 + 3 · 4.25 = 20: 90, 95 and 99 lie beyond.
    const result = tailExcessTest(sorted([1, 2, 3, 4, 5, 6, 7, 8]), sorted([2, 3, 4, 5, 6, 90, 95, 99]));
    expect(result.statistic).toBe(0.375);
    expect(result.value).toBe(0.375);
    // C(8, 3) / C(16, 3) = 56 / 560.
    expect(result.pValue).toBeCloseTo(0.1, 12);
  });

  it("finds a burst of 3% of the values multiplied by 100 at 1,000 rows", () => {
    const random = new Random(11);
    const result = tailExcessTest(
      normalSample(random, 2000),
      normalSample(random, 1000, { fraction: 0.03, factor: 100 }),
    );
    expect(result.pValue).toBeLessThan(1e-8);
    expect(result.statistic).toBeGreaterThan(0.015);
  });

  it("keeps its level when nothing changed, on heavy tails and ties alike", () => {
    const random = new Random(12);
    const draws = [() => random.studentT(3), () => random.lognormal(0, 1.5), () => random.poisson(2)];
    let rejected = 0;
    let tested = 0;
    for (const draw of draws) {
      for (let window = 0; window < 400; window++) {
        const reference = sorted(Array.from({ length: 300 }, draw));
        const current = sorted(Array.from({ length: 200 }, draw));
        const outcome = attempt(() => tailExcessTest(reference, current));
        tested++;
        if (!isNotApplicable(outcome) && outcome.pValue <= 0.05) rejected++;
      }
    }
    // Exact and discrete, so at most the nominal 5% (plus the simulation's noise, 0.6 points).
    expect(rejected / tested).toBeLessThanOrEqual(0.062);
  });

  it("does not apply when no value lies far out, or the quartiles leave no spread to measure by", () => {
    expect(() => tailExcessTest(sorted([1, 2, 3, 4]), sorted([2, 3, 4, 5]))).toThrow(NotApplicableError);
    expect(() => tailExcessTest(sorted([0, 0, 0, 0, 7]), sorted([0, 0, 0, 9]))).toThrow(NotApplicableError);
  });
});
