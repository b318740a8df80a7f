import { Hypergeometric } from "#shared/stats/hypergeometric";
import { NotApplicableError } from "#shared/stats/not-applicable";
import { quantileOfOrderStatistics } from "#shared/stats/quantile";
import { countAbove, countBelow } from "#shared/stats/sorted-counts";

/** How many interquartile ranges past the quartiles a value must lie to count as far out (Tukey's 3). */
export const FENCE_IQRS = 3;

/** The test counts at most this share of the pooled values on each side, the most extreme ones... */
const TAIL_CAP = 0.005;
/** ...but never fewer than this many. */
const MIN_TAIL_CAP = 10;

/** Outcome of {@link tailExcessTest}. */
export interface TailExcessResult {
  /** The effect: the current share of far-out values minus the reference's, in [-1, 1]. */
  statistic: number;
  /** The share of current values that lie far out. */
  value: number;
  /** One-sided p-value: are current values over-represented among the far-out ones? */
  pValue: number;
}

/**
 * Did far-out values appear? The test for an outlier burst: a few percent of a feature's values
 * multiplied far outside the usual range by a unit change or a sensor fault. Such a burst barely moves
 * the ranks in the middle, where Mann-Whitney and Mood look, and moves the deciles behind PSI by a bin
 * at most; at 1,000 rows among 100 features none of them reaches significance.
 *
 * Far out means beyond Tukey's outer fences of the POOLED sample, Q1 - 3·IQR and Q3 + 3·IQR (numpy's
 * linear quartiles): on normal data 2 values in a million, so a burst stands out from almost nothing.
 * The fences are computed from both samples together, so they do not depend on which values are
 * current; with nothing changed, which of the T far-out values are current is then a random draw, X of
 * them is hypergeometric (N = n + m values, m current, T drawn) whatever the shape of the data, and
 * p = P(X' ≥ X) is exact. One-sided because a burst adds extremes; a tail that thinned out is a change
 * of spread, Mood's test's job. Robust fences rather than extreme quantiles: a quantile-based tail has a
 * fixed size, which a burst larger than it saturates and natural extremes dilute.
 *
 * The effect size is each sample's share of values beyond the same fences, current minus reference.
 *
 * @param reference sorted ascending, no NaN
 * @param current sorted ascending, no NaN
 * @throws NotApplicableError when a sample is empty, the pooled quartiles are equal (no spread to
 *   measure distance in) or no value of either sample lies far out
 * @example
 * tailExcessTest(new Float64Array([1, 2, 3, 4, 5, 6, 7, 8]), new Float64Array([2, 3, 4, 5, 6, 90, 95, 99]));
 * // { statistic: 0.375, value: 0.375, pValue: 0.1 }   (all 3 far-out values current: C(8, 3) / C(16, 3))
 */
export function tailExcessTest(reference: Float64Array, current: Float64Array): TailExcessResult {
  const n = reference.length;
  const m = current.length;
  if (n === 0 || m === 0) throw new NotApplicableError("the tail test needs two non-empty samples");
  const q1 = pooledQuantile(reference, current, 0.25);
  const q3 = pooledQuantile(reference, current, 0.75);
  if (!(q3 > q1)) throw new NotApplicableError("the tail test needs pooled quartiles that differ");
  const low = q1 - FENCE_IQRS * (q3 - q1);
  const high = q3 + FENCE_IQRS * (q3 - q1);
  const beyond = (sorted: Float64Array) => countBelow(sorted, low) + countAbove(sorted, high);
  const share = { reference: beyond(reference) / n, current: beyond(current) / m };
  const tail = extremesBeyond(
    reference,
    current,
    low,
    high,
    Math.max(MIN_TAIL_CAP, Math.floor(TAIL_CAP * (n + m))),
  );
  if (tail.total === 0) throw new NotApplicableError("no value lies beyond the pooled quartiles ± 3 IQR");
  const pValue = new Hypergeometric(m, n, tail.total).sf(tail.current - 1);
  return { statistic: share.current - share.reference, value: share.current, pValue: Math.min(1, pValue) };
}

/**
 * The pooled values beyond `low` and beyond `high`, but on each side no more than the `cap` most extreme
 * ones (whole tie groups): how many, and how many of them are current.
 */
function extremesBeyond(
  reference: Float64Array,
  current: Float64Array,
  low: number,
  high: number,
  cap: number,
): { total: number; current: number } {
  let total = 0;
  let fromCurrent = 0;
  // Merge the two samples from each end, a tie group at a time, while inside the fence and the cap.
  for (const side of [-1, 1] as const) {
    let i = side < 0 ? 0 : reference.length - 1;
    let j = side < 0 ? 0 : current.length - 1;
    let taken = 0;
    const inRange = (k: number, sorted: Float64Array) => k >= 0 && k < sorted.length;
    const outside = (value: number) => (side < 0 ? value < low : value > high);
    const further = (a: number, b: number) => (side < 0 ? a < b : a > b);
    while (inRange(i, reference) || inRange(j, current)) {
      const r = inRange(i, reference) ? (reference[i] as number) : Number.NaN;
      const c = inRange(j, current) ? (current[j] as number) : Number.NaN;
      const value = Number.isNaN(c) || (!Number.isNaN(r) && further(r, c)) ? r : c;
      if (!outside(value)) break;
      let inGroup = 0;
      let currentInGroup = 0;
      while (inRange(i, reference) && reference[i] === value) {
        inGroup++;
        i -= side;
      }
      while (inRange(j, current) && current[j] === value) {
        inGroup++;
        currentInGroup++;
        j -= side;
      }
      if (taken + inGroup > cap) break;
      taken += inGroup;
      fromCurrent += currentInGroup;
    }
    total += taken;
  }
  return { total, current: fromCurrent };
}

/** The q-quantile of the two sorted samples pooled, as `numpy.quantile(concatenate(a, b), q)`. */
function pooledQuantile(a: Float64Array, b: Float64Array, q: number): number {
  return quantileOfOrderStatistics(a.length + b.length, q, (k) => kthSmallest(a, b, k));
}

/**
 * The k-th smallest (0-based) value of two sorted samples pooled, by binary search over how many of it
 * come from `a`: O(log n) instead of merging.
 */
function kthSmallest(a: Float64Array, b: Float64Array, k: number): number {
  // Find i (taken from a) and j = k + 1 - i (from b) with a[i-1] <= b[j] and b[j-1] <= a[i].
  let lo = Math.max(0, k + 1 - b.length);
  let hi = Math.min(k + 1, a.length);
  while (lo < hi) {
    const i = (lo + hi) >>> 1;
    const j = k + 1 - i;
    if ((a[i] as number) < (b[j - 1] as number)) lo = i + 1;
    else hi = i;
  }
  const i = lo;
  const j = k + 1 - i;
  const lastOfA = i > 0 ? (a[i - 1] as number) : Number.NEGATIVE_INFINITY;
  const lastOfB = j > 0 ? (b[j - 1] as number) : Number.NEGATIVE_INFINITY;
  return Math.max(lastOfA, lastOfB);
}
