import type { TestResult } from "#shared/schemas/drift-report";
import {
  hellinger,
  jensenShannon,
  kl,
  proportions,
  psi,
  totalVariation,
} from "#shared/stats/binned-divergences";
import type { NewCategoriesResult } from "#shared/stats/new-categories";
import type { CategoryShiftResult } from "./category-shift.ts";
import type { MissingCounts } from "./missing-rate.ts";
import { attempt, isNotApplicable, type NotApplicable, reportable } from "./test-outcome.ts";

/** Everything measured on one column pair, before any decision: what the policy and the report read. */
export interface FeatureEvidence {
  type: "numeric" | "categorical";
  missing: MissingCounts;
  /** Every statistic of CONTRACT §5 that applies, plus the policy's own tests, by name. */
  tests: Record<string, TestResult>;
  newCategories?: NewCategoriesResult;
  /** The category whose share changed most significantly (three or more categories). */
  categoryShift?: CategoryShiftResult;
  /** Facts about the columns a reader of the verdict needs: how they were read, constant or empty. */
  notes: string[];
}

/** Bin counts of both samples over the same bins (reference deciles, or one bin per category). */
export interface BinCounts {
  reference: Float64Array;
  current: Float64Array;
}

/**
 * psi, kl, js, hellinger and tvd of CONTRACT §5 from the bin counts of both samples; each is "not
 * applicable", with the reason, when the bins could not be formed or a sample is empty.
 *
 * @example
 * divergenceTests({ reference: new Float64Array([50, 50]), current: new Float64Array([50, 50]) }).psi;
 * // { value: 0 }
 */
export function divergenceTests(bins: BinCounts | NotApplicable): Record<string, TestResult> {
  const shares = isNotApplicable(bins)
    ? bins
    : attempt(() => ({ reference: proportions(bins.reference), current: proportions(bins.current) }));
  const measure = (divergence: (r: Float64Array, c: Float64Array) => number): TestResult =>
    reportable(isNotApplicable(shares) ? shares : { value: divergence(shares.reference, shares.current) });
  return {
    psi: measure(psi),
    kl: measure(kl),
    js: measure(jensenShannon),
    hellinger: measure(hellinger),
    tvd: measure(totalVariation),
  };
}

/** A numeric field of a test, when the test applied. */
export function testField(
  tests: Record<string, TestResult>,
  test: string,
  field: string,
): number | undefined {
  const result = tests[test];
  if (result === undefined || "notApplicable" in result) return undefined;
  return result[field as keyof typeof result] as number | undefined;
}
