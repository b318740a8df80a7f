import betainc from "@stdlib/math-base-special-betainc";
import { sampleMoments } from "./moments.ts";
import { NotApplicableError } from "./not-applicable.ts";

export interface WelchTTestResult {
  /** t statistic, positive when the reference mean is the larger one. */
  statistic: number;
  /** Two-sided p-value. */
  pValue: number;
}

/**
 * Welch's unequal-variances t-test for a difference in means:
 *
 *   t = (x̄_ref - x̄_cur) / sqrt(s²_ref/n_ref + s²_cur/n_cur)                  (s² with ddof = 1)
 *   ν = (s²_ref/n_ref + s²_cur/n_cur)² / ((s²_ref/n_ref)²/(n_ref-1) + (s²_cur/n_cur)²/(n_cur-1))
 *   p = 2 · P(T_ν ≤ -|t|) = I_{ν/(ν+t²)}(ν/2, 1/2)
 *
 * Reproduces `scipy.stats.ttest_ind(reference, current, equal_var=False)` (scipy 1.10). The tail comes from
 * the regularized incomplete beta function directly, never as `1 - cdf`, so p-values far below machine
 * epsilon (1e-100 and smaller on large shifted samples) keep their relative precision.
 *
 * @param reference sorted ascending, no NaN (the engine sorts each column once; order does not matter here)
 * @param current sorted ascending, no NaN
 * @throws NotApplicableError when a sample has fewer than two values (scipy: NaN), or when both samples
 *   are constant (scipy: NaN, or an infinite t with p = 0 when only the means differ, a difference of
 *   means without any noise to weigh it against)
 * @example
 * welchTTest(new Float64Array([1, 2, 3]), new Float64Array([1, 2, 3])); // { statistic: 0, pValue: 1 }
 */
export function welchTTest(reference: Float64Array, current: Float64Array): WelchTTestResult {
  const n1 = reference.length;
  const n2 = current.length;
  if (n1 < 2 || n2 < 2) {
    throw new NotApplicableError("Welch's t-test needs at least two values in each sample");
  }
  const ref = sampleMoments(reference);
  const cur = sampleMoments(current);
  const vn1 = ref.squaredDeviations / (n1 - 1) / n1;
  const vn2 = cur.squaredDeviations / (n2 - 1) / n2;
  if (vn1 + vn2 === 0) {
    throw new NotApplicableError("Welch's t-test is undefined when both samples are constant");
  }
  const df = (vn1 + vn2) ** 2 / ((vn1 * vn1) / (n1 - 1) + (vn2 * vn2) / (n2 - 1));
  const statistic = (ref.mean - cur.mean) / Math.sqrt(vn1 + vn2);
  return { statistic, pValue: studentTwoSidedTail(statistic, df) };
}

/**
 * P(|T_ν| ≥ |t|) for Student's t with ν degrees of freedom, as scipy's `stdtr(ν, -|t|) * 2`. The beta
 * argument and its complement are both formed from t² and ν, and the incomplete beta is evaluated on
 * whichever side is below 1/2, so neither a tiny p nor a p near 1 passes through a cancelling `1 - x`.
 */
function studentTwoSidedTail(t: number, df: number): number {
  const t2 = t * t;
  if (t2 < df) return betainc(t2 / (df + t2), 0.5, df / 2, true, true);
  return betainc(df / (df + t2), df / 2, 0.5);
}
