import { describe, expect, it } from "vitest";
import { benjaminiHochberg } from "#shared/drift/multiple-testing";

describe("benjaminiHochberg", () => {
  it("rejects the four hypotheses of Benjamini & Hochberg's (1995) worked example at q = 0.05", () => {
    // The 15 p-values of the paper's section 4.1; Bonferroni rejects 3 of them, BH 4.
    const pValues = [
      0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.324, 0.4262, 0.5719, 0.6528,
      0.759, 1,
    ];
    const result = benjaminiHochberg(pValues, 0.05);
    expect(result.rejections).toBe(4);
    expect(result.cutoff).toBeCloseTo((4 * 0.05) / 15, 15);
    expect([...result.adjusted].filter((adjusted) => adjusted <= 0.05)).toHaveLength(4);
  });

  it("adjusts p-values as statsmodels' fdr_bh does, whatever their order", () => {
    const result = benjaminiHochberg([0.01, 0.04, 0.03, 0.005], 0.05);
    const expected = [0.02, 0.04, 0.04, 0.02];
    result.adjusted.forEach((adjusted, i) => {
      expect(adjusted).toBeCloseTo(expected[i] as number, 15);
    });
    expect(result.rejections).toBe(4);
  });

  it("keeps adjusted p-values monotone in the raw ones and at most 1", () => {
    const result = benjaminiHochberg([0.9, 0.02, 0.6, 0.021, 0.8], 0.05);
    [0.9, 0.0525, 0.9, 0.0525, 0.9].forEach((expected, i) => {
      expect(result.adjusted[i]).toBeCloseTo(expected, 15);
    });
    expect(result.rejections).toBe(0);
    expect(result.cutoff).toBe(0);
  });

  it("answers an empty family with no rejection", () => {
    expect(benjaminiHochberg([], 0.05)).toEqual({ adjusted: new Float64Array(0), cutoff: 0, rejections: 0 });
  });
});
