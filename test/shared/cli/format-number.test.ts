import { describe, expect, it } from "vitest";
import { formatPValue, formatShare, formatStatistic } from "#shared/cli/format-number";

describe("number formatting", () => {
  it("never prints a tiny p-value as zero", () => {
    expect(formatPValue(3e-12)).toBe("3.0e-12");
    expect(formatPValue(0.04567)).toBe("0.0457");
    expect(formatPValue(0)).toBe("0");
    expect(formatPValue(undefined)).toBe("—");
  });

  it("prints statistics with 4 significant digits, scientific when very large or small", () => {
    expect(formatStatistic(2427.93)).toBe("2428");
    expect(formatStatistic(0.123456)).toBe("0.1235");
    expect(formatStatistic(1234567)).toBe("1.23e+6");
    expect(formatStatistic(0.00001234)).toBe("1.23e-5");
    expect(formatShare(0.5)).toBe("50.0%");
  });
});
