import type { Severity } from "#shared/schemas/drift-report";
import { psi } from "#shared/stats/binned-divergences";
import { type FeatureEvidence, testField } from "./feature-evidence.ts";
import { rate } from "./missing-rate.ts";

/**
 * Where a drifted feature's severity turns "medium" and "high". PSI's 0.1 / 0.25 is the industry
 * convention (Siddiqi, "Credit Risk Scorecards", 2006). The other measures are set to the same change:
 * on normal data a mean shift of 0.33 (0.5) standard deviations gives a decile PSI of 0.1 (0.25), hence
 * the normed Wasserstein cut-offs; the missing rate is read as a two-bin distribution (missing, present)
 * and given the PSI cut-offs, so 0% -> 2% missing is already "medium" while 5% -> 7% stays "low".
 */
export const SEVERITY_CUTOFFS = {
  psi: { medium: 0.1, high: 0.25 },
  normedWasserstein: { medium: 0.33, high: 0.5 },
  missingRatePsi: { medium: 0.1, high: 0.25 },
} as const;

/**
 * Severity of a feature's verdict: "none" when it is not drifted; otherwise "high" or "medium" when any
 * measure reaches that band of {@link SEVERITY_CUTOFFS}, else "low" (a real but small change, e.g. a
 * 0.15 standard-deviation shift, which the policy flags but PSI calls stable).
 *
 * @example
 * severityOf(false, evidence); // "none"
 */
export function severityOf(drifted: boolean, evidence: FeatureEvidence): Severity {
  if (!drifted) return "none";
  const readings: [number | undefined, { medium: number; high: number }][] = [
    [testField(evidence.tests, "psi", "value"), SEVERITY_CUTOFFS.psi],
    [testField(evidence.tests, "wasserstein", "normed"), SEVERITY_CUTOFFS.normedWasserstein],
    [missingRatePsi(evidence), SEVERITY_CUTOFFS.missingRatePsi],
  ];
  let severity: Severity = "low";
  for (const [value, cutoffs] of readings) {
    if (value === undefined) continue;
    if (value >= cutoffs.high) return "high";
    if (value >= cutoffs.medium) severity = "medium";
  }
  return severity;
}

/** PSI of the (missing, present) shares, with the 1e-4 floor of CONTRACT §5; undefined without rows. */
export function missingRatePsi(evidence: FeatureEvidence): number | undefined {
  const { reference, current } = evidence.missing;
  if (reference.rows === 0 || current.rows === 0) return undefined;
  const shares = (counts: { missing: number; rows: number }) =>
    new Float64Array([rate(counts), 1 - rate(counts)]);
  return psi(shares(reference), shares(current));
}
