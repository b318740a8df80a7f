/**
 * Sorted-sample helpers shared by the two-sample statistics.
 *
 * Convention for every two-sample statistic in `shared/stats`: it takes `(reference, current)` as
 * `Float64Array`s that are ALREADY SORTED ascending and free of NaN. The drift engine sorts each column once
 * (as {@link sortedSample} does, only faster) and reuses that array for KS, Cramér-von Mises,
 * Anderson-Darling, Mann-Whitney, Wasserstein, energy distance and quantile bins, so no statistic pays for
 * a sort of its own. The rank-based ones also take the samples' merged ranking (`tieGroups` in
 * `tie-groups.ts`) as an optional third argument, so the engine merges each pair of columns once.
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
