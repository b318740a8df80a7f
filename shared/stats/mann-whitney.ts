import erfc from "@stdlib/math-base-special-erfc";
import { NotApplicableError } from "./not-applicable.ts";
import { type TieGroups, tieGroups } from "./tie-groups.ts";
import type { TwoSampleTestResult } from "./two-sample-result.ts";

/** scipy 1.10's `_mwu_choose_method`: the exact null distribution unless both samples exceed this. */
const MAX_EXACT_N = 8;

/**
 * Two-sided Mann-Whitney U test: exactly `scipy.stats.mannwhitneyu(reference, current,
 * alternative="two-sided")` with scipy 1.10's defaults `use_continuity=True`, `method="auto"`
 * (`scipy/stats/_mannwhitneyu.py`).
 *
 * Statistic: U1 = R1 - n1 (n1 + 1) / 2, R1 the sum of the reference sample's mid-ranks in the pooled
 * sample (scipy reports U1, the first sample's). The p-value uses U = max(U1, n1 n2 - U1):
 * - exact when there are no ties and at least one sample has at most 8 observations (scipy's "auto":
 *   asymptotic only when both exceed 8, or when there are ties): p = 2 P(U' >= U) under the null,
 *   whose frequencies are the coefficients of the Gaussian binomial [n1 + n2 choose n1]_q (Mann &
 *   Whitney 1947);
 * - otherwise p = 2 sf(z), z = (U - n1 n2 / 2 - 1/2) / s, with the tie-corrected
 *   s² = n1 n2 / 12 ((N + 1) - Σ (t³ - t) / (N (N - 1))), t the sizes of the tie groups, N = n1 + n2.
 * p is clipped to 1. If every pooled value is equal, s = 0 and z = -inf, so p = 1; that case is answered
 * directly, since Σ (t³ - t) stops being exact in doubles once t³ > 2^53.
 *
 * References: H. B. Mann, D. R. Whitney, Ann. Math. Statist. 18(1), 1947; scipy's mannwhitneyu notes.
 *
 * @param reference sorted ascending, no NaN
 * @param current sorted ascending, no NaN
 * @param groups the samples' merged ranking, when the caller has it already (the engine shares one)
 * @throws NotApplicableError when either sample is empty
 * @example
 * mannWhitneyU(new Float64Array([1, 2, 3]), new Float64Array([4, 5, 6])); // { statistic: 0, pValue: 0.1 }
 */
export function mannWhitneyU(
  reference: Float64Array,
  current: Float64Array,
  groups: TieGroups = tieGroups(reference, current),
): TwoSampleTestResult {
  const n1 = reference.length;
  const n2 = current.length;
  if (n1 === 0 || n2 === 0) throw new NotApplicableError("mannwhitneyu needs two non-empty samples");
  let r1 = 0;
  let tieTerm = 0;
  let below = 0;
  const { size, countA, countB } = groups;
  for (let g = 0; g < size; g++) {
    const count1 = countA[g] as number;
    const t = count1 + (countB[g] as number);
    r1 += count1 * (below + (t + 1) / 2);
    tieTerm += t * t * t - t;
    below += t;
  }
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  const u = Math.max(u1, n1 * n2 - u1);
  const n = n1 + n2;
  if (size === 1) return { statistic: u1, pValue: 1 };
  if ((n1 <= MAX_EXACT_N || n2 <= MAX_EXACT_N) && size === n) {
    return { statistic: u1, pValue: Math.min(1, 2 * lowerTail(n1 * n2 - u, n1, n2)) };
  }
  const s = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  const z = (u - (n1 * n2) / 2 - 0.5) / s;
  return { statistic: u1, pValue: Math.min(1, 2 * normalSf(z)) };
}

/**
 * P(U <= k) for U the Mann-Whitney statistic of samples of sizes n1, n2 under the null, k <= n1 n2 / 2.
 * The frequencies of U are the coefficients of [n1 + n2 choose m]_q = Π_{i=1..m} (1 - q^(M+i)) / (1 - q^i)
 * with m = min(n1, n2), M = max(n1, n2); the product is built factor by factor on coefficients 0..k,
 * dividing by (1 - q^i) as a running sum, in O(m k). Counts stay exact integers below 2^53.
 */
function lowerTail(k: number, n1: number, n2: number): number {
  const m = Math.min(n1, n2);
  const big = Math.max(n1, n2);
  const freq = new Float64Array(k + 1);
  freq[0] = 1;
  let total = 1;
  for (let i = 1; i <= m; i++) {
    for (let d = i; d <= k; d++) freq[d] = (freq[d] as number) + (freq[d - i] as number);
    for (let d = k; d >= big + i; d--) freq[d] = (freq[d] as number) - (freq[d - big - i] as number);
    total = (total * (big + i)) / i;
  }
  // scipy sums the probabilities, not the counts.
  let p = 0;
  for (let d = 0; d <= k; d++) p += (freq[d] as number) / total;
  return p;
}

/** `scipy.stats.norm.sf(z)`, i.e. cephes `ndtr(-z)`, which switches to erf near zero. */
function normalSf(z: number): number {
  const x = -z * Math.SQRT1_2;
  if (Math.abs(x) < Math.SQRT1_2) return 1 - 0.5 * erfc(x);
  const y = 0.5 * erfc(Math.abs(x));
  return x > 0 ? 1 - y : y;
}
