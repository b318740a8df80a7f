import { type CdfGapIntegrals, cdfGapIntegrals } from "./cdf-distance.ts";
import { sampleMoments } from "./moments.ts";
import { NotApplicableError } from "./not-applicable.ts";

/** Floor on the reference's spread when normalising, so a constant reference does not divide by zero. */
const MIN_NORMALISING_STD = 0.001;

export interface WassersteinResult {
  /** The first Wasserstein (earth mover's) distance, in the feature's own unit. */
  value: number;
  /** `value / max(std(reference, ddof=0), 0.001)`: the distance in reference standard deviations. */
  normed: number;
}

/**
 * First Wasserstein distance between the empirical distributions of two samples, the area between their
 * CDFs:
 *
 *   W1 = ∫ |F_ref(x) - F_cur(x)| dx,   normed = W1 / max(σ_ref, 0.001)   (σ with ddof = 0)
 *
 * Reproduces `scipy.stats.wasserstein_distance(reference, current)` (scipy 1.10, unweighted), computed in
 * O(n + m) from the sorted samples; `normed` makes thresholds comparable across features of any scale.
 *
 * @param reference sorted ascending, no NaN (the engine sorts each column once)
 * @param current sorted ascending, no NaN
 * @param gaps the samples' {@link cdfGapIntegrals}, when the caller has them already (the engine shares them
 *   with the energy distance)
 * @throws NotApplicableError when either sample is empty (scipy raises ValueError)
 * @example
 * wasserstein(new Float64Array([0, 1, 3]), new Float64Array([5, 6, 8])); // { value: 5, normed: 4.0089186286863665 }
 */
export function wasserstein(
  reference: Float64Array,
  current: Float64Array,
  gaps?: CdfGapIntegrals,
): WassersteinResult {
  if (reference.length === 0 || current.length === 0) {
    throw new NotApplicableError("Wasserstein distance needs at least one value in each sample");
  }
  const value = (gaps ?? cdfGapIntegrals(reference, current)).absolute;
  const spread = Math.sqrt(sampleMoments(reference).squaredDeviations / reference.length);
  return { value, normed: value / Math.max(spread, MIN_NORMALISING_STD) };
}
