/**
 * Sorted-sample helpers shared by the two-sample statistics.
 *
 * Convention for every two-sample statistic in `shared/stats`: it takes `(reference, current)` as
 * `Float64Array`s that are ALREADY SORTED ascending and free of NaN. The drift engine sorts each column once
 * with {@link sortedSample} and reuses that array for KS, Cramér-von Mises, Anderson-Darling, Mann-Whitney,
 * Wasserstein, energy distance and quantile bins, so no statistic pays for a sort of its own.
 */

/**
 * Copies a column into a new `Float64Array` sorted ascending, without its NaN (missing) values.
 *
 * @example
 * sortedSample([3, Number.NaN, 1, 2]); // Float64Array [1, 2, 3]
 */
export function sortedSample(column: ArrayLike<number>): Float64Array {
  const sorted = Float64Array.from(column).sort();
  // A typed-array sort puts NaN last, so the missing values are a suffix to cut off.
  let end = sorted.length;
  while (end > 0 && Number.isNaN(sorted[end - 1])) end--;
  return end === sorted.length ? sorted : sorted.subarray(0, end);
}

/**
 * Receives one group of equal values of the pooled sample: how many observations of each sample take
 * the value, and how many pooled observations lie strictly below it. The group's average (mid) rank,
 * as `scipy.stats.rankdata(method="average")` assigns it, is `below + (countA + countB + 1) / 2`.
 */
export type TieGroupVisitor = (countA: number, countB: number, below: number) => void;

/**
 * Walks the pooled sample of two sorted samples in ascending order, one group of equal values at a time,
 * in O(n + m) time and without allocating. This is the merged ranking the rank-based statistics need:
 * cumulative counts give both empirical CDFs, and the group sizes give the tie counts.
 *
 * @param a sorted ascending, no NaN
 * @param b sorted ascending, no NaN
 * @example
 * forEachTieGroup(new Float64Array([1, 2]), new Float64Array([2, 3]), (countA, countB, below) =>
 *   console.log(countA, countB, below + (countA + countB + 1) / 2),
 * ); // logs "1 0 1", "1 1 2.5", "0 1 4"
 */
export function forEachTieGroup(a: Float64Array, b: Float64Array, visit: TieGroupVisitor): void {
  const na = a.length;
  const nb = b.length;
  let i = 0;
  let j = 0;
  while (i < na || j < nb) {
    const value = (j >= nb || (i < na && (a[i] as number) <= (b[j] as number)) ? a[i] : b[j]) as number;
    const startA = i;
    const startB = j;
    while (i < na && a[i] === value) i++;
    while (j < nb && b[j] === value) j++;
    visit(i - startA, j - startB, startA + startB);
  }
}
