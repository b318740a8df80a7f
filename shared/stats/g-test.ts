import { type ContingencyTestResult, chiSquareSurvival } from "./chi-square.ts";
import { type ContingencyTable, expectedCounts } from "./contingency.ts";

/**
 * G-test (log-likelihood ratio test) of homogeneity on the 2 x k table of the two samples:
 *
 *   G = 2 Σ_cells O · ln(O / E)   (a cell with O = 0 adds 0),   dof = k - 1,   p = P(χ²_dof ≥ G)
 *
 * with E as in the chi-square test. Reproduces
 * `scipy.stats.chi2_contingency(table, correction=False, lambda_="log-likelihood")` (scipy 1.10), including
 * G = 0 and p = 1 for a single category. G is non-negative, but rounding can leave a near-perfect fit a
 * few ulps below zero, where scipy's `chi2.sf` returns NaN; such a G is reported as 0 with p = 1.
 *
 * @throws NotApplicableError when a sample is empty (scipy raises ValueError on a zero expected count)
 * @example
 * gTest({ categories: ["a", "b"], reference: new Float64Array([3, 1]), current: new Float64Array([1, 3]) });
 * // { statistic: 2.0929925750581915, pValue: 0.14797595938502728, dof: 1 }   (G = 4 · (3 ln 1.5 + ln 0.5))
 */
export function gTest(table: ContingencyTable): ContingencyTestResult {
  const expected = expectedCounts(table);
  const dof = table.categories.length - 1;
  if (dof === 0) return { statistic: 0, pValue: 1, dof };
  let sum = 0;
  for (const [observed, fitted] of [
    [table.reference, expected.reference],
    [table.current, expected.current],
  ] as const) {
    for (let k = 0; k < observed.length; k++) {
      const count = observed[k] as number;
      if (count > 0) sum += 2 * count * Math.log(count / (fitted[k] as number));
    }
  }
  const statistic = Math.max(sum, 0);
  return { statistic, pValue: chiSquareSurvival(statistic, dof), dof };
}
