import { describe, expect, it } from "vitest";
import { kstwoSf } from "../../../shared/stats/kolmogorov-distribution.ts";
import { expectClose } from "../../fixtures/stats-vectors.ts";

function factorialOverPower(n: number): number {
  let p = 1;
  for (let i = 1; i <= n; i++) p *= i / n;
  return p;
}

describe("kstwoSf", () => {
  it("is 1 up to the support's lower end 1/(2n) and 0 from x = 1", () => {
    expect(kstwoSf(10, 0.05)).toBe(1);
    expect(kstwoSf(10, 1)).toBe(0);
    expect(kstwoSf(10, 1.5)).toBe(0);
  });

  it.each([2, 5, 30, 200])("follows Ruben and Gambino's closed forms at both ends for n = %i", (n) => {
    // P(D_n <= x) = n!/n^n (2nx - 1)^n for 1/(2n) < x <= 1/n, and P(D_n >= x) = 2 (1 - x)^n for x >= 1 - 1/n.
    const low = 0.8 / n;
    expectClose(kstwoSf(n, low), 1 - factorialOverPower(n) * (2 * n * low - 1) ** n, "low end");
    const high = 1 - 0.5 / n;
    expectClose(kstwoSf(n, high), 2 * (1 - high) ** n, "high end");
  });

  it("reproduces Marsaglia, Tsang & Wang's worked value P(D_10 < 0.274) = 0.6284796154565043", () => {
    // J. Stat. Softw. 8(18), 2003; n x² = 0.75, so this runs the Durbin matrix algorithm.
    expectClose(1 - kstwoSf(10, 0.274), 0.6284796154565043, "K(10, 0.274)");
  });

  it("agrees across the switch between its two exact methods (Durbin matrix, Pomeranz)", () => {
    // scipy switches at n x² = 0.754693 for n <= 140; both are exact, so the values either side agree.
    const n = 100;
    const x = Math.sqrt(0.754693 / n);
    expectClose(kstwoSf(n, x * (1 + 1e-12)), kstwoSf(n, x * (1 - 1e-12)), "at the switch");
  });

  it("approaches Kolmogorov's limiting distribution for large n", () => {
    // P(sqrt(n) D_n >= z) -> 2 Σ (-1)^(k-1) exp(-2 k² z²); the first correction is O(1/sqrt(n)).
    const n = 100_000;
    for (const z of [0.6, 0.9, 1.2, 1.6]) {
      let limit = 0;
      for (let k = 1; k <= 100; k++) limit += 2 * (-1) ** (k - 1) * Math.exp(-2 * k * k * z * z);
      expect(Math.abs(kstwoSf(n, z / Math.sqrt(n)) - limit)).toBeLessThan(1 / Math.sqrt(n));
    }
  });
});
