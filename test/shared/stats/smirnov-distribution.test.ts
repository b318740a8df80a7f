import { describe, expect, it } from "vitest";
import { smirnovSf } from "../../../shared/stats/smirnov-distribution.ts";
import { expectClose } from "../../fixtures/stats-vectors.ts";

/** The Birnbaum-Tingey sum, term by term in plain doubles: accurate enough for small n. */
function birnbaumTingey(n: number, x: number): number {
  let sum = 0;
  let binomial = 1;
  for (let v = 0; v <= Math.floor(n * (1 - x)); v++) {
    sum += binomial * (x + v / n) ** (v - 1) * (1 - x - v / n) ** (n - v);
    binomial = (binomial * (n - v)) / (v + 1);
  }
  return x * sum;
}

describe("smirnovSf", () => {
  it.each([
    [3, 0.5],
    [10, 0.5],
    [10, 0.73],
    [20, 0.4],
    [30, 0.31],
    [60, 0.6],
  ])("agrees with the Birnbaum-Tingey sum for n = %i, x = %d", (n, x) => {
    expectClose(smirnovSf(n, x), birnbaumTingey(n, x), `smirnov(${n}, ${x})`);
  });

  it("returns 0 where even the leading term exp(-2 n x²) underflows", () => {
    expect(smirnovSf(1000, 0.7)).toBe(0);
  });
});
