import { type CdfGapIntegrals, cdfGapIntegrals } from "./cdf-distance.ts";
import { NotApplicableError } from "./not-applicable.ts";

/**
 * Energy distance between the empirical distributions of two samples (Székely & Rizzo), through its
 * one-dimensional CDF form rather than the O(n·m) pairwise-distance definition:
 *
 *   D = sqrt(2 E|X - Y| - E|X - X'| - E|Y - Y'|) = sqrt(2) · sqrt(∫ (F_ref(x) - F_cur(x))² dx)
 *
 * Reproduces `scipy.stats.energy_distance(reference, current)` (scipy 1.10, unweighted), which uses the same
 * CDF identity; O(n + m) on the sorted samples.
 *
 * @param reference sorted ascending, no NaN (the engine sorts each column once)
 * @param current sorted ascending, no NaN
 * @param gaps the samples' {@link cdfGapIntegrals}, when the caller has them already (the engine shares them
 *   with the Wasserstein distance)
 * @throws NotApplicableError when either sample is empty (scipy raises ValueError)
 * @example
 * energyDistance(new Float64Array([0]), new Float64Array([1])); // 1.4142135623730951 (= sqrt(2 · 1))
 */
export function energyDistance(
  reference: Float64Array,
  current: Float64Array,
  gaps?: CdfGapIntegrals,
): number {
  if (reference.length === 0 || current.length === 0) {
    throw new NotApplicableError("energy distance needs at least one value in each sample");
  }
  return Math.SQRT2 * Math.sqrt((gaps ?? cdfGapIntegrals(reference, current)).squared);
}
