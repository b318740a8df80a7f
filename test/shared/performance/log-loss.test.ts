import { describe, expect, it } from "vitest";
import { LOG_LOSS_EPSILON, logLossTerm } from "#shared/performance/log-loss";

describe("logLossTerm", () => {
  it("is minus the log of the probability given to the actual label", () => {
    expect(logLossTerm(0.9)).toBe(-Math.log(0.9));
    expect(logLossTerm(0.5)).toBe(Math.LN2);
  });

  it("clips to float64's machine epsilon as sklearn 1.5 does, so a certain miss costs about 36", () => {
    expect(LOG_LOSS_EPSILON).toBe(2 ** -52);
    expect(logLossTerm(0)).toBe(52 * Math.LN2);
    expect(logLossTerm(1e-300)).toBe(logLossTerm(0));
    expect(logLossTerm(1)).toBe(-Math.log(1 - 2 ** -52));
  });
});
