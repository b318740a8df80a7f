/**
 * How many values of a sorted sample are strictly below `bound` (numpy's `searchsorted(side="left")`), by
 * binary search.
 *
 * @example
 * countBelow(new Float64Array([1, 2, 2, 3]), 2); // 1
 */
export function countBelow(sorted: Float64Array, bound: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < bound) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * How many values of a sorted sample are strictly above `bound`, by binary search.
 *
 * @example
 * countAbove(new Float64Array([1, 2, 2, 3]), 2); // 1
 */
export function countAbove(sorted: Float64Array, bound: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= bound) lo = mid + 1;
    else hi = mid;
  }
  return sorted.length - lo;
}
