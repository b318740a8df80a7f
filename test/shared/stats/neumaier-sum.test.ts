import { describe, expect, it } from "vitest";
import { NeumaierSum } from "../../../shared/stats/neumaier-sum.ts";

describe("NeumaierSum", () => {
  it("keeps the small terms a plain running sum loses next to large ones", () => {
    const sum = new NeumaierSum();
    for (const v of [1, 1e100, 1, -1e100]) sum.add(v);
    expect(sum.value()).toBe(2);
  });

  it("sums a million tenths to the correctly rounded total, where a plain running sum drifts", () => {
    const sum = new NeumaierSum();
    let plain = 0;
    for (let i = 0; i < 1_000_000; i++) {
      sum.add(0.1);
      plain += 0.1;
    }
    // The double nearest 0.1 exceeds it by 5.55e-18, so the exact total is 100000 + 5.55e-12, and the
    // nearest double to that is 100000 itself (half an ulp there is 7.3e-12).
    expect(sum.value()).toBe(100000);
    expect(plain).not.toBe(100000);
  });
});
