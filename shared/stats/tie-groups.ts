/**
 * The merged ranking of two sorted samples, which every rank-based statistic (KS, Cramér-von Mises,
 * Anderson-Darling, Mann-Whitney, Mood) reads: the pooled sample's distinct values in ascending order, and
 * how many observations of each sample take each value. Cumulative counts give both empirical CDFs, the
 * group sizes the tie counts, and the observations below a group give its average (mid) rank as
 * `scipy.stats.rankdata(method="average")` assigns it: `below + (countA[g] + countB[g] + 1) / 2`.
 *
 * Computed once per pair of columns and shared, because the merge is the costly part (a data-dependent
 * branch per value) while each statistic's own pass over the counts is a branch-free loop.
 */
export interface TieGroups {
  /** How many distinct values the pooled sample has; the count arrays may be longer. */
  readonly size: number;
  /** `countA[g]`: observations of the first sample equal to the g-th smallest distinct pooled value. */
  readonly countA: Int32Array;
  /** `countB[g]`: the same for the second sample. */
  readonly countB: Int32Array;
}

/**
 * Merges two sorted samples into their {@link TieGroups}, in O(n + m).
 *
 * @param a sorted ascending, no NaN
 * @param b sorted ascending, no NaN
 * @example
 * tieGroups(new Float64Array([1, 2]), new Float64Array([2, 3]));
 * // { size: 3, countA: [1, 1, 0, ...], countB: [0, 1, 1, ...] }
 */
export function tieGroups(a: Float64Array, b: Float64Array): TieGroups {
  const na = a.length;
  const nb = b.length;
  const countA = new Int32Array(na + nb);
  const countB = new Int32Array(na + nb);
  let size = 0;
  let i = 0;
  let j = 0;
  while (i < na || j < nb) {
    const value = (j >= nb || (i < na && (a[i] as number) <= (b[j] as number)) ? a[i] : b[j]) as number;
    const startA = i;
    const startB = j;
    while (i < na && a[i] === value) i++;
    while (j < nb && b[j] === value) j++;
    countA[size] = i - startA;
    countB[size] = j - startB;
    size++;
  }
  return { size, countA, countB };
}
