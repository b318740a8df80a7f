import gammainc from "@stdlib/math-base-special-gammainc";
import { type ContingencyTable, expectedCounts } from "./contingency.ts";

/** Result of a test of homogeneity on a 2 x k contingency table. */
export interface ContingencyTestResult {
  statistic: number;
  pValue: number;
  /** Degrees of freedom, k - 1. */
  dof: number;
}

/**
 * Pearson's chi-square test of homogeneity: do the reference and the current sample share one
 * distribution over the categories?
 *
 *   X² = Σ_cells (O - E)² / E,   E = row total · column total / grand total,   dof = k - 1,
 *   p = P(χ²_dof ≥ X²)
 *
 * Reproduces `scipy.stats.chi2_contingency(table, correction=False)` (scipy 1.10) on the 2 x k table,
 * including its answer for a single category (dof = 0): X² = 0 and p = 1.
 *
 * @throws NotApplicableError when a sample is empty (scipy raises ValueError on a zero expected count)
 * @example
 * chiSquareTest({ categories: ["a", "b"], reference: new Float64Array([3, 1]), current: new Float64Array([1, 3]) });
 * // { statistic: 2, pValue: 0.15729920705028513, dof: 1 }
 */
export function chiSquareTest(table: ContingencyTable): ContingencyTestResult {
  const expected = expectedCounts(table);
  const dof = table.categories.length - 1;
  if (dof === 0) return { statistic: 0, pValue: 1, dof };
  let statistic = 0;
  for (const [observed, fitted] of [
    [table.reference, expected.reference],
    [table.current, expected.current],
  ] as const) {
    for (let k = 0; k < observed.length; k++) {
      const deviation = (observed[k] as number) - (fitted[k] as number);
      statistic += (deviation * deviation) / (fitted[k] as number);
    }
  }
  return { statistic, pValue: chiSquareSurvival(statistic, dof), dof };
}

/**
 * Upper tail of the chi-square distribution, `scipy.stats.chi2.sf(x, dof)` = Q(dof / 2, x / 2), from the
 * regularized upper incomplete gamma function so that tiny p-values keep their relative precision.
 */
export function chiSquareSurvival(x: number, dof: number): number {
  return gammainc(x / 2, dof / 2, true, true);
}
