/**
 * The q-quantile of a sorted sample as `numpy.quantile(sample, q)` computes it (default "linear" method):
 * interpolation between the order statistics around the virtual index (n - 1)·q, with numpy's `_lerp`,
 * `a + (b - a)·g` below g = 0.5 and `b - (b - a)·(1 - g)` from 0.5 on. The two forms can differ in the
 * last bit, and a bin edge or a fence must be the very number numpy gives, which is why
 * simple-statistics' `quantileSorted` (always the first form) is not used.
 *
 * @param sorted sorted ascending, no NaN
 * @param q in [0, 1]
 * @throws RangeError for an empty sample
 * @example
 * quantileSorted(new Float64Array([1, 2, 3, 4]), 0.5); // 2.5
 */
export function quantileSorted(sorted: Float64Array, q: number): number {
  return quantileOfOrderStatistics(sorted.length, q, (k) => sorted[k] as number);
}

/**
 * {@link quantileSorted} of a sample of `count` values that is not stored as one sorted array, read
 * through `orderStatistic(k)`, its k-th smallest value (0-based).
 *
 * @example
 * quantileOfOrderStatistics(4, 0.5, (k) => [1, 2, 3, 4][k]); // 2.5
 */
export function quantileOfOrderStatistics(
  count: number,
  q: number,
  orderStatistic: (k: number) => number,
): number {
  if (count === 0) throw new RangeError("the quantile of an empty sample is undefined");
  const virtualIndex = (count - 1) * q;
  const below = Math.floor(virtualIndex);
  const a = orderStatistic(below);
  const b = orderStatistic(Math.min(below + 1, count - 1));
  const g = virtualIndex - below;
  const diff = b - a;
  return g >= 0.5 ? b - diff * (1 - g) : a + diff * g;
}
