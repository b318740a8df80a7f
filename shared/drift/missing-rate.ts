import { fisherExact } from "#shared/stats/fisher-exact";
import { NotApplicableError } from "#shared/stats/not-applicable";

/** The missing rates of one column in both datasets, as counts. */
export interface MissingCounts {
  reference: { missing: number; rows: number };
  current: { missing: number; rows: number };
}

/** Outcome of {@link missingRateTest}. */
export interface MissingRateTestResult {
  /** Current missing rate minus reference missing rate, in [-1, 1]. */
  statistic: number;
  /** Two-sided p-value of Fisher's exact test on the 2 x 2 table of missing and present counts. */
  pValue: number;
}

/**
 * Did the share of missing values change? Fisher's exact test on the table
 * [[missing_ref, present_ref], [missing_cur, present_cur]] (`scipy.stats.fisher_exact`). Exact rather than
 * a z-test because a missing rate often starts at or near zero, where the normal approximation to a
 * handful of counts is off in the tail that matters. Reported as the change of rate, not the odds ratio,
 * which is infinite whenever the reference has no missing values at all.
 *
 * @throws NotApplicableError when a dataset has no rows, or the column is missing everywhere or nowhere
 *   (nothing to compare)
 * @example
 * missingRateTest({ reference: { missing: 0, rows: 60 }, current: { missing: 18, rows: 60 } });
 * // { statistic: 0.3, pValue: 2.1e-6 }
 */
export function missingRateTest(counts: MissingCounts): MissingRateTestResult {
  const { reference, current } = counts;
  if (reference.rows === 0 || current.rows === 0) {
    throw new NotApplicableError("the missing rate needs rows in both datasets");
  }
  if (reference.missing + current.missing === 0) {
    throw new NotApplicableError("no missing values in either dataset");
  }
  if (reference.missing === reference.rows && current.missing === current.rows) {
    throw new NotApplicableError("every value is missing in both datasets");
  }
  const result = fisherExact({
    categories: ["missing", "present"],
    reference: new Float64Array([reference.missing, reference.rows - reference.missing]),
    current: new Float64Array([current.missing, current.rows - current.missing]),
  });
  return { statistic: rate(current) - rate(reference), pValue: result.pValue };
}

/** Share of missing values; 0 for a dataset without rows, where there is nothing to miss. */
export function rate(counts: { missing: number; rows: number }): number {
  return counts.rows === 0 ? 0 : counts.missing / counts.rows;
}
