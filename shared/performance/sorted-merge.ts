/**
 * The ascending merge of two ascending arrays, in O(n + m). Partial results that keep their values sorted
 * (the class scores behind ROC AUC, the latencies behind the percentiles) combine with it, so a merge costs a
 * pass rather than a sort and the merged array is exactly the one sorting every value at once would give.
 *
 * @param a sorted ascending, no NaN
 * @param b sorted ascending, no NaN
 * @example
 * mergeSorted(new Float64Array([1, 4]), new Float64Array([2, 3, 5])); // Float64Array [1, 2, 3, 4, 5]
 */
export function mergeSorted(a: Float64Array, b: Float64Array): Float64Array {
  const merged = new Float64Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x <= y) {
      merged[k++] = x;
      i++;
    } else {
      merged[k++] = y;
      j++;
    }
  }
  merged.set(a.subarray(i), k);
  merged.set(b.subarray(j), k + a.length - i);
  return merged;
}
