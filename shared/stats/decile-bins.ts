import { NotApplicableError } from "./not-applicable.ts";
import { quantileSorted } from "./quantile.ts";
import { countBelow } from "./sorted-counts.ts";

/** The probabilities of the reference deciles that bound the bins (`[0.1 .. 0.9]`, as literals). */
const DECILES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9] as const;

/**
 * Bin edges of a numeric feature: the distinct deciles of the reference sample, ascending. With k edges
 * there are k + 1 bins: (-inf, e0), [e0, e1), …, [e(k-1), +inf), so a value equal to an edge falls in the
 * bin on its right, like `numpy.searchsorted(edges, x, side="right")`.
 *
 *   edges = numpy.unique(numpy.quantile(reference, [0.1, 0.2, …, 0.9]))   (default "linear" method)
 *
 * Each decile is numpy's linear-interpolation quantile (see {@link quantileSorted}), so a value lying
 * exactly on an edge lands in the same bin as in numpy.
 *
 * A constant reference gives a single edge, hence two bins.
 *
 * @param sortedReference sorted ascending, no NaN (the engine sorts each column once)
 * @throws NotApplicableError when the reference is empty (numpy raises IndexError)
 * @example
 * decileEdges(new Float64Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])); // Float64Array [2, 3, …, 10]
 */
export function decileEdges(sortedReference: Float64Array): Float64Array {
  const n = sortedReference.length;
  if (n === 0) throw new NotApplicableError("bin edges need at least one reference value");
  const deciles = Float64Array.from(DECILES, (q) => quantileSorted(sortedReference, q));
  deciles.sort();
  let distinct = 1;
  for (let k = 1; k < deciles.length; k++) {
    if (deciles[k] !== deciles[distinct - 1]) deciles[distinct++] = deciles[k] as number;
  }
  return deciles.slice(0, distinct);
}

/**
 * Number of values of a SORTED sample in each bin bounded by `edges` (length `edges.length + 1`), from one
 * binary search per edge: O(k log n) instead of a pass over the sample.
 *
 * @param edges ascending, distinct (from {@link decileEdges})
 * @param sortedValues sorted ascending, no NaN
 * @example
 * countSortedIntoBins(new Float64Array([2, 4]), new Float64Array([1, 2, 3, 4, 5])); // Float64Array [1, 2, 2]
 */
export function countSortedIntoBins(edges: Float64Array, sortedValues: Float64Array): Float64Array {
  const counts = new Float64Array(edges.length + 1);
  let previous = 0;
  edges.forEach((edge, k) => {
    const below = countBelow(sortedValues, edge);
    counts[k] = below - previous;
    previous = below;
  });
  counts[edges.length] = sortedValues.length - previous;
  return counts;
}

/**
 * Number of values of an UNSORTED sample in each bin bounded by `edges` (length `edges.length + 1`), in one
 * pass with a binary search over the (at most nine) edges per value.
 *
 * @param edges ascending, distinct (from {@link decileEdges})
 * @param values in any order, no NaN
 * @example
 * countIntoBins(new Float64Array([2, 4]), new Float64Array([5, 2, 1, 4, 3])); // Float64Array [1, 2, 2]
 */
export function countIntoBins(edges: Float64Array, values: Float64Array): Float64Array {
  const counts = new Float64Array(edges.length + 1);
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as number;
    let lo = 0;
    let hi = edges.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((edges[mid] as number) <= value) lo = mid + 1;
      else hi = mid;
    }
    counts[lo] = (counts[lo] as number) + 1;
  }
  return counts;
}
