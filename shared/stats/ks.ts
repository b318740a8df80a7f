import { kstwoSf } from "./kolmogorov-distribution.ts";
import { NotApplicableError } from "./not-applicable.ts";
import { type TieGroups, tieGroups } from "./tie-groups.ts";
import type { TwoSampleTestResult } from "./two-sample-result.ts";

/** scipy's `MAX_AUTO_N`: above it `method="auto"` skips the exact lattice-path computation. */
const MAX_EXACT_N = 10_000;

/**
 * Two-sided two-sample Kolmogorov-Smirnov test: exactly `scipy.stats.ks_2samp(reference, current)`
 * with `alternative="two-sided"`, `method="auto"` (scipy 1.10, `scipy/stats/_stats_py.py`).
 *
 * Statistic: `D = max_x |F_ref(x) - F_cur(x)|` over the pooled sample, F the empirical CDFs.
 *
 * p-value, as scipy chooses it:
 * - exact when `max(n1, n2) <= 10000`: with `D = h / lcm(n1, n2)`, the share of lattice paths from
 *   (0, 0) to (n1, n2) that touch the band |x/n1 - y/n2| >= D (Hodges 1957), by an alternating Horner
 *   sum when n1 == n2 and by a sliding-window path count otherwise. The statistic reported is then
 *   `h / lcm`, as scipy reports it. Should that probability leave [0, 1] through rounding, scipy (and
 *   so this function) falls back to the asymptotic p-value;
 * - asymptotic otherwise: `kstwo.sf(D, round(n1 n2 / (n1 + n2)))`, the one-sample two-sided
 *   distribution at the effective sample size (Simard & L'Ecuyer 2011).
 *
 * References: J. L. Hodges, "The significance probability of the Smirnov two-sample test",
 * Arkiv för Matematik 3, 1957; R. Simard, P. L'Ecuyer, J. Stat. Softw. 39(11), 2011.
 *
 * @param reference sorted ascending, no NaN
 * @param current sorted ascending, no NaN
 * @param groups the samples' merged ranking, when the caller has it already (the engine shares one)
 * @throws NotApplicableError when either sample is empty
 * @example
 * ks2Samp(new Float64Array([1, 2, 3]), new Float64Array([4, 5, 6]));
 * // { statistic: 1, pValue: 0.1 (to rounding) }: only 2 of the C(6, 3) = 20 orderings separate fully
 */
export function ks2Samp(
  reference: Float64Array,
  current: Float64Array,
  groups: TieGroups = tieGroups(reference, current),
): TwoSampleTestResult {
  const n1 = reference.length;
  const n2 = current.length;
  if (n1 === 0 || n2 === 0) throw new NotApplicableError("ks_2samp needs two non-empty samples");

  // Same arithmetic as scipy's searchsorted(..., "right") / n difference, so D matches to the last bit.
  let maxDiff = Number.NEGATIVE_INFINITY;
  let minDiff = Number.POSITIVE_INFINITY;
  let cum1 = 0;
  let cum2 = 0;
  const { size, countA, countB } = groups;
  for (let g = 0; g < size; g++) {
    cum1 += countA[g] as number;
    cum2 += countB[g] as number;
    const diff = cum1 / n1 - cum2 / n2;
    if (diff > maxDiff) maxDiff = diff;
    if (diff < minDiff) minDiff = diff;
  }
  const minS = Math.min(1, Math.max(0, -minDiff));
  let d = Math.max(minS, maxDiff);

  if (Math.max(n1, n2) <= MAX_EXACT_N) {
    const g = gcd(n1, n2);
    const lcm = (n1 / g) * n2;
    const h = roundHalfEven(d * lcm);
    d = h / lcm;
    if (h === 0) return { statistic: d, pValue: 1 };
    const prob = n1 === n2 ? probOutsideSquare(n1, h) : probOutsideBand(n1, n2, g, h);
    if (prob >= 0 && prob <= 1) return { statistic: d, pValue: prob };
  }
  const [m, n] = n1 >= n2 ? [n1, n2] : [n2, n1];
  const en = (m * n) / (m + n);
  return { statistic: d, pValue: Math.min(1, Math.max(0, kstwoSf(roundHalfEven(en), d))) };
}

/**
 * `_compute_prob_outside_square(n, h)`: P(D_{n,n} >= h/n) =
 * 2 (C(2n, n-h) - C(2n, n-2h) + C(2n, n-3h) - ...) / C(2n, n), each ratio factored out so the
 * alternating sum is evaluated Horner-style as 2 A0 (1 - A1 (1 - A2 (1 - ...))) without cancellation.
 */
function probOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    p = p1 * (1 - p);
  }
  return 2 * p;
}

/**
 * `_compute_outer_prob_inside_method(m, n, g, h)`: the share of monotone lattice paths from (0, 0) to
 * (m, n) that leave the band |x n/g - y m/g| < h. It keeps one column of path probabilities, and only
 * the window of it inside the band, so memory is O(window) and time O(m * window).
 */
function probOutsideBand(n1: number, n2: number, g: number, h: number): number {
  const [m, n] = n1 >= n2 ? [n1, n2] : [n2, n1];
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const a = new Float64Array(Math.min(2 * maxj + 2, n + 1)).fill(1);
  a.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    // Each entry mixes the path probabilities from the left and from below, weighted by how many
    // paths arrive each way; a cumulative sum cannot do this because the weights change per entry.
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = ((a[jj + minj - lastminj] as number) * i + val * j) / (i + j);
      a[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) a.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
  }
  return a[maxj - minj - 1] as number;
}

function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

/** numpy's `np.round`: halves go to the even neighbour. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
