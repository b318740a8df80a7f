import type { VolumeAnomaly } from "#shared/schemas/performance-metrics";
import { sampleMoments } from "#shared/stats/moments";
import { notApplicable } from "./metric-value.ts";

/**
 * How unusual the current window's request count is against the trailing windows' counts, as a z-score:
 *
 *   z = (x − x̄) / s,   x̄ and s the mean and sample standard deviation (ddof 1, `numpy.std(counts, ddof=1)`)
 *       of the trailing counts
 *
 * Defined cases that would otherwise be NaN or ±Infinity:
 * - fewer than two trailing windows: s does not exist, so z is not applicable;
 * - s = 0 (every trailing window had the same count) and x = x̄: z = 0, nothing changed;
 * - s = 0 and x ≠ x̄: z is not applicable (it would be ±∞); the report still carries `count` and
 *   `trailingMean`, so a caller can alert on any change from a perfectly steady traffic.
 *
 * @param count requests in the current window
 * @param trailingCounts requests in each of the preceding windows
 * @example
 * volumeAnomaly(130, [100, 110, 90, 100]).zScore; // 3.674… (= 30 / √(200 / 3))
 */
export function volumeAnomaly(count: number, trailingCounts: readonly number[]): VolumeAnomaly {
  const trailingWindows = trailingCounts.length;
  if (trailingWindows === 0) {
    return { count, trailingWindows, zScore: notApplicable("there are no trailing windows to compare with") };
  }
  const { mean, squaredDeviations } = sampleMoments(Float64Array.from(trailingCounts));
  if (trailingWindows < 2) {
    return {
      count,
      trailingWindows,
      trailingMean: mean,
      zScore: notApplicable("a z-score needs at least two trailing windows for a standard deviation"),
    };
  }
  const trailingSd = Math.sqrt(squaredDeviations / (trailingWindows - 1));
  const summary = { count, trailingWindows, trailingMean: mean, trailingSd };
  if (trailingSd > 0) return { ...summary, zScore: (count - mean) / trailingSd };
  if (count === mean) return { ...summary, zScore: 0 };
  return {
    ...summary,
    zScore: notApplicable(
      `every trailing window had ${mean} requests, so the z-score of ${count} is unbounded (the counts do not vary)`,
    ),
  };
}
