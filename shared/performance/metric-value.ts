import type { NotApplicable } from "#shared/schemas/performance-metrics";

/** The report's answer for a metric that cannot be computed, with the reason a user can check. */
export function notApplicable(reason: string): NotApplicable {
  return { notApplicable: reason };
}

/**
 * A computed metric as a report can hold it: JSON has no NaN or Infinity, so a value that overflowed (sums of
 * squares of values near 1e154 and beyond) becomes a "not applicable" that says so instead.
 *
 * @example
 * finiteOr(0.5, "rmse"); // 0.5
 * finiteOr(Number.POSITIVE_INFINITY, "rmse"); // { notApplicable: "rmse is not finite (overflow)" }
 */
export function finiteOr(value: number, name: string): number | NotApplicable {
  return Number.isFinite(value) ? value : notApplicable(`${name} is not finite (overflow)`);
}
