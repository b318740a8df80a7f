import { describe, it } from "vitest";
import { durbinCdf, pomeranzCdf } from "../../../shared/stats/kolmogorov-exact.ts";
import { expectClose } from "../../fixtures/stats-vectors.ts";

describe("durbinCdf and pomeranzCdf", () => {
  it("reproduce Marsaglia, Tsang & Wang's worked value P(D_10 < 0.274) = 0.6284796154565043", () => {
    // J. Stat. Softw. 8(18), 2003, section 3.
    expectClose(durbinCdf(10, 0.274), 0.6284796154565043, "Durbin");
    expectClose(pomeranzCdf(10, 0.274), 0.6284796154565043, "Pomeranz");
  });

  it.each([
    [3, 0.4],
    [7, 0.2],
    [20, 0.13],
    [50, 0.1],
    [100, 0.15],
    [140, 0.05],
  ])("agree with each other, both being exact, for n = %i, x = %d", (n, x) => {
    expectClose(pomeranzCdf(n, x), durbinCdf(n, x), `P(D_${n} <= ${x})`);
  });
});
