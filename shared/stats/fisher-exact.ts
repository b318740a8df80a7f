import type { ContingencyTable } from "./contingency.ts";
import { Hypergeometric } from "./hypergeometric.ts";
import { NotApplicableError } from "./not-applicable.ts";

export interface FisherExactResult {
  /** Sample odds ratio `(a · d) / (b · c)`; `Infinity` when b or c is 0 (as scipy). */
  statistic: number;
  /** Two-sided p-value. */
  pValue: number;
}

/**
 * How far (relative) a table's probability may exceed the observed table's and still count as "at least
 * as extreme": scipy's `gamma = 1 + 1e-14`, which absorbs rounding between probabilities that are equal in
 * exact arithmetic (mirror-image tables of a symmetric null distribution).
 */
const RELATIVE_TOLERANCE = 1e-14;

/**
 * Fisher's exact test on the 2 x 2 table of a two-category feature,
 *
 *   [[a, b],    a, b = reference counts of the first and second category (code point order)
 *    [c, d]]    c, d = current counts
 *
 * Under the null hypothesis (same distribution, margins fixed) `a` is hypergeometric:
 * P(x) = C(a + b, x) · C(c + d, a + c - x) / C(N, a + c). The two-sided p-value sums P(x) over every table
 * with P(x) ≤ P(a) · (1 + 1e-14). Reproduces `scipy.stats.fisher_exact(table)` (scipy 1.10), including its
 * search around the mode (`_binary_search_for_binom_tst`), its early exits and its tolerance, so that tables
 * tied in exact arithmetic are counted the same way.
 *
 * Probabilities come from log binomial coefficients, which keeps mirror-image tables bit-identical (they
 * add the same two terms); tails are summed outward with the term ratio until the terms stop mattering, as
 * Boost (behind scipy's `hypergeom`) does. The relative error of a probability grows with N·ε (about 1e-13
 * at N = 1,000, 1e-10 at N = 1,000,000), within the contract's 1e-9.
 *
 * @throws NotApplicableError unless there are exactly two categories and both samples have values (scipy
 *   returns a NaN odds ratio when a row or column of the table is empty)
 * @example
 * fisherExact({ categories: ["a", "b"], reference: new Float64Array([6, 2]), current: new Float64Array([1, 4]) });
 * // { statistic: 12, pValue: 0.1025641025641026 }   (scipy: 0.10256410256410257)
 */
export function fisherExact(table: ContingencyTable): FisherExactResult {
  if (table.categories.length !== 2) {
    throw new NotApplicableError(
      `Fisher's exact test needs exactly two categories, got ${table.categories.length}`,
    );
  }
  const a = table.reference[0] as number;
  const b = table.reference[1] as number;
  const c = table.current[0] as number;
  const d = table.current[1] as number;
  if (a + b === 0 || c + d === 0 || a + c === 0 || b + d === 0) {
    throw new NotApplicableError("Fisher's exact test needs values in each sample and in each category");
  }
  const statistic = c > 0 && b > 0 ? (a * d) / (c * b) : Number.POSITIVE_INFINITY;
  return { statistic, pValue: twoSidedPValue(new Hypergeometric(a + b, c + d, a + c), a) };
}

/** scipy 1.10's two-sided p-value of `fisher_exact`, step for step. */
function twoSidedPValue(h: Hypergeometric, observed: number): number {
  const gamma = 1 + RELATIVE_TOLERANCE;
  const mode = Math.trunc(((h.draws + 1) * (h.good + 1)) / (h.good + h.bad + 2));
  const pExact = h.pmf(observed);
  const pMode = h.pmf(mode);
  if (Math.abs(pExact - pMode) / Math.max(pExact, pMode) <= RELATIVE_TOLERANCE) return 1;
  let pValue: number;
  if (observed < mode) {
    const lower = h.cdf(observed);
    if (h.pmf(h.draws) > pExact * gamma) return lower;
    const guess = binarySearch((x) => -h.pmf(x), -pExact * gamma, mode, h.draws);
    pValue = lower + h.sf(guess);
  } else {
    const upper = h.sf(observed - 1);
    if (h.pmf(0) > pExact * gamma) return upper;
    const guess = binarySearch((x) => h.pmf(x), pExact * gamma, 0, mode);
    pValue = upper + h.cdf(guess);
  }
  return Math.min(pValue, 1);
}

/**
 * scipy's `_binary_search_for_binom_tst`: for `f` ascending on [lo, hi], the i with f(i) ≤ target < f(i + 1)
 * (lo - 1 when even f(lo) exceeds the target).
 */
function binarySearch(f: (x: number) => number, target: number, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = lo + Math.floor((hi - lo) / 2);
    const value = f(mid);
    if (value < target) lo = mid + 1;
    else if (value > target) hi = mid - 1;
    else return mid;
  }
  return f(lo) <= target ? lo : lo - 1;
}
