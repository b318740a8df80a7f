import erfc from "@stdlib/math-base-special-erfc";
import { type ContingencyTable, countTotal } from "./contingency.ts";
import { NotApplicableError } from "./not-applicable.ts";

export interface TwoProportionZTestResult {
  /** z, positive when the first category is more frequent in the reference than in the current sample. */
  statistic: number;
  /** Two-sided p-value. */
  pValue: number;
}

/**
 * Pooled two-proportion z-test for a feature with exactly two categories, on the share of the first one
 * (in the table's code point order):
 *
 *   p̂_ref = x_ref / n_ref,   p̂_cur = x_cur / n_cur,   p̂ = (x_ref + x_cur) / (n_ref + n_cur)
 *   z = (p̂_ref - p̂_cur) / sqrt(p̂ (1 - p̂) (1 / n_ref + 1 / n_cur)),   p = 2 Φ(-|z|) = erfc(|z| / √2)
 *
 * This is `statsmodels.stats.proportion.proportions_ztest([x_ref, x_cur], [n_ref, n_cur])`, and z² equals
 * the uncorrected chi-square statistic of the same 2 x 2 table (`scipy.stats.chi2_contingency`).
 *
 * @throws NotApplicableError unless there are exactly two categories and both samples have values
 * @example
 * twoProportionZTest({ categories: ["a", "b"], reference: new Float64Array([3, 1]), current: new Float64Array([1, 3]) });
 * // { statistic: 1.414213562373095, pValue: 0.15729920705028513 }   (z² = X² = 2)
 */
export function twoProportionZTest(table: ContingencyTable): TwoProportionZTestResult {
  if (table.categories.length !== 2) {
    throw new NotApplicableError(
      `the two-proportion z-test needs exactly two categories, got ${table.categories.length}`,
    );
  }
  const nRef = countTotal(table.reference);
  const nCur = countTotal(table.current);
  if (nRef === 0 || nCur === 0) {
    throw new NotApplicableError("the two-proportion z-test needs at least one value in each sample");
  }
  const xRef = table.reference[0] as number;
  const xCur = table.current[0] as number;
  const pooled = (xRef + xCur) / (nRef + nCur);
  const standardError = Math.sqrt(pooled * (1 - pooled) * (1 / nRef + 1 / nCur));
  if (standardError === 0) {
    throw new NotApplicableError(`category "${table.categories[pooled === 0 ? 0 : 1]}" has no values`);
  }
  const statistic = (xRef / nRef - xCur / nCur) / standardError;
  return { statistic, pValue: erfc(Math.abs(statistic) * Math.SQRT1_2) };
}
