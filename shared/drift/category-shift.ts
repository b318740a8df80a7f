import type { ContingencyTable } from "#shared/stats/contingency";
import { countTotal } from "#shared/stats/contingency";
import { fisherExact } from "#shared/stats/fisher-exact";
import { NotApplicableError } from "#shared/stats/not-applicable";

/** Outcome of {@link categoryShiftTest}. */
export interface CategoryShiftResult {
  /** The category whose share changed most significantly. */
  category: string;
  /** Its share of the reference's and of the current data's non-missing values. */
  reference: number;
  current: number;
  /** Current share minus reference share. */
  statistic: number;
  /** Its Fisher p-value times the number of categories (Bonferroni), capped at 1. */
  pValue: number;
}

/**
 * Did one category's share change? For each category, Fisher's exact test on
 * [[in category, not] reference, [in category, not] current]; the smallest p-value, Bonferroni-adjusted
 * for the k categories tested.
 *
 * Why next to chi-square: chi-square spreads its power over all k - 1 degrees of freedom, so when a
 * quarter of one category's rows move elsewhere in a 12-category feature, the ten unchanged categories
 * dilute it; this test looks where the change is (that move at 3,000 rows, in the scenario suite: found
 * in 58% of windows by the policy with chi-square alone, 80% with this test beside it). Chi-square stays
 * better for a change spread thinly over many categories, so the policy uses both. Exact rather than a
 * z-test per category because rare categories have a handful of rows.
 *
 * @throws NotApplicableError with fewer than three categories (with two, this is chi-square's 2 x 2
 *   table again) or an empty sample
 * @example
 * categoryShiftTest({ categories: ["a", "b", "c"], reference: new Float64Array([40, 30, 30]),
 *   current: new Float64Array([40, 10, 50]) });
 * // { category: "b", reference: 0.3, current: 0.1, statistic: -0.2, pValue: 0.0014... }
 */
export function categoryShiftTest(table: ContingencyTable): CategoryShiftResult {
  const k = table.categories.length;
  if (k < 3) throw new NotApplicableError(`the category-shift test needs three or more categories, got ${k}`);
  const referenceTotal = countTotal(table.reference);
  const currentTotal = countTotal(table.current);
  if (referenceTotal === 0 || currentTotal === 0) {
    throw new NotApplicableError("the category-shift test needs values in both datasets");
  }
  let best: CategoryShiftResult | undefined;
  table.categories.forEach((category, index) => {
    const inReference = table.reference[index] as number;
    const inCurrent = table.current[index] as number;
    const { pValue } = fisherExact({
      categories: [category, "other"],
      reference: new Float64Array([inReference, referenceTotal - inReference]),
      current: new Float64Array([inCurrent, currentTotal - inCurrent]),
    });
    if (best === undefined || pValue < best.pValue) {
      const reference = inReference / referenceTotal;
      const current = inCurrent / currentTotal;
      best = { category, reference, current, statistic: current - reference, pValue };
    }
  });
  const found = best as CategoryShiftResult;
  return { ...found, pValue: Math.min(1, k * found.pValue) };
}
