import type { FeatureReport } from "#shared/schemas/drift-report";

/** The decision part of a feature's report: everything but the measurements. */
export type Verdict = Pick<
  FeatureReport,
  | "method"
  | "statistic"
  | "pValue"
  | "adjustedPValue"
  | "threshold"
  | "drifted"
  | "severity"
  | "reason"
  | "effect"
>;
