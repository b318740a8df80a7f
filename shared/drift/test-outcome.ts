import type { TestResult } from "#shared/schemas/drift-report";
import { NotApplicableError } from "#shared/stats/not-applicable";

/** A statistic that could not be computed, and why (scipy would have answered NaN or raised). */
export interface NotApplicable {
  notApplicable: string;
}

/**
 * Runs one statistic, turning a {@link NotApplicableError} into its reason so that one test that cannot
 * apply (a constant column, an empty sample) never stops the others. Any other error is a bug and
 * propagates.
 *
 * @example
 * attempt(() => welchTTest(constant, constant)); // { notApplicable: "Welch's t-test is undefined when ..." }
 */
export function attempt<T>(compute: () => T): T | NotApplicable {
  try {
    return compute();
  } catch (error) {
    if (error instanceof NotApplicableError) return { notApplicable: error.reason };
    throw error;
  }
}

/** Whether an outcome of {@link attempt} is the "not applicable" answer. */
export function isNotApplicable(outcome: unknown): outcome is NotApplicable {
  return typeof outcome === "object" && outcome !== null && "notApplicable" in outcome;
}

/**
 * The report's form of a computed statistic. A report must stay valid JSON, which has no NaN or
 * Infinity, so a non-finite field (an overflow on values near ±1e308) turns the whole test into a
 * "not applicable" with that reason rather than a number that would not survive serialisation.
 *
 * @example
 * reportable({ statistic: 0.1, pValue: 0.5 }); // { statistic: 0.1, pValue: 0.5 }
 * reportable({ value: Number.POSITIVE_INFINITY }); // { notApplicable: "value is not finite (overflow)" }
 */
export function reportable<T extends Record<keyof T, number>>(outcome: T | NotApplicable): TestResult {
  if (isNotApplicable(outcome)) return { notApplicable: outcome.notApplicable };
  const fields: Record<string, number> = { ...outcome };
  for (const [field, value] of Object.entries(fields)) {
    if (!Number.isFinite(value)) return { notApplicable: `${field} is not finite (overflow)` };
  }
  return fields;
}
