import { describe, expect, it } from "vitest";
import { besselK } from "../../../shared/stats/bessel-k.ts";

const relativeError = (actual: number, expected: number) => Math.abs(actual - expected) / Math.abs(expected);

describe("besselK", () => {
  // Half-integer orders have closed forms (DLMF 10.39.2 and 10.49.12):
  // K_{1/2}(x) = sqrt(π/(2x)) e^{-x}, K_{3/2}(x) = sqrt(π/(2x)) e^{-x} (1 + 1/x).
  it.each([1e-4, 1e-3, 0.05, 0.5, 1, 3, 10, 50, 300, 700])(
    "reaches full precision for K_1/2 and K_3/2 at x = %d",
    (x) => {
      const half = Math.sqrt(Math.PI / (2 * x)) * Math.exp(-x);
      expect(relativeError(besselK(0.5, x), half)).toBeLessThan(2e-15);
      expect(relativeError(besselK(1.5, x), half * (1 + 1 / x))).toBeLessThan(2e-15);
    },
  );

  it("is even in the order", () => {
    expect(besselK(-0.25, 2.5)).toBe(besselK(0.25, 2.5));
  });
});
