import { z } from "zod";
import { latencyReportSchema, volumeAnomalySchema } from "#shared/schemas/performance-metrics";
import { checkWindowSchema } from "./check-window.ts";
import { alertMetricSchema, performanceMetricSchema } from "./model-config.ts";
import { performanceStatusSchema } from "./performance-report.ts";

/**
 * What a check could conclude about drift. Never a verdict without the data for one: `no-baseline`
 * when the model has no reference yet, `insufficient-data` when either side has fewer than
 * `minSamples` rows.
 */
export const driftStatusSchema = z.enum(["ok", "no-baseline", "insufficient-data"]);

/** The drift part of a check, as the history keeps it; the full report lies at `reportKey`. */
export const driftSummarySchema = z.object({
  status: driftStatusSchema,
  reason: z.string().optional(),
  baselineVersion: z.int().positive().optional(),
  referenceRows: z.int().nonnegative().optional(),
  currentRows: z.int().nonnegative(),
  drifted: z.boolean().optional(),
  share: z.number().min(0).max(1).optional(),
  driftedFeatures: z.array(z.string()).optional(),
  /** Each compared feature's PSI, the drift score the dashboard and metrics plot. */
  featureScores: z.record(z.string(), z.number()).optional(),
  reportKey: z.string().optional(),
  /** Where the check's reference-vs-current histograms lie (absent from checks before they were kept). */
  distributionsKey: z.string().optional(),
});

/**
 * The performance part of a check, as the history keeps it; the full report lies at `reportKey`.
 * `coverage` is the current period's; the estimate is of the check's own window.
 */
export const performanceSummarySchema = z.object({
  status: performanceStatusSchema,
  reason: z.string().optional(),
  currentLabelled: z.int().nonnegative(),
  referenceLabelled: z.int().nonnegative(),
  coverage: z.number().nonnegative().nullable(),
  dropped: z.boolean().optional(),
  /** The largest relative drop among the compared metrics. */
  drop: z.number().optional(),
  droppedMetrics: z.array(performanceMetricSchema).optional(),
  estimatedAccuracy: z.number().min(0).max(1).optional(),
  reportKey: z.string(),
});

/** Every alert metric of the contract, by name; null where the check could not compute it. */
export const checkMetricsSchema = z.record(alertMetricSchema, z.number().nullable());

/**
 * One check of one model over one window: what alert rules read, and what the history routes list.
 * `checkId` orders checks by the end of their window (`<to>#scheduled` or `<to>#manual-<id>`).
 */
export const checkResultSchema = z.object({
  modelId: z.string(),
  checkId: z.string(),
  trigger: z.enum(["scheduled", "manual"]),
  window: checkWindowSchema,
  checkedAt: z.string(),
  rows: z.int().nonnegative(),
  drift: driftSummarySchema,
  /** Absent from checks recorded before the performance check existed. */
  performance: performanceSummarySchema.optional(),
  latency: latencyReportSchema,
  traffic: volumeAnomalySchema,
  /** The model config's latency objectives the percentiles were held to, and whether they were met. */
  slo: z.object({ p95Ms: z.number(), p99Ms: z.number(), met: z.boolean().nullable() }),
  metrics: checkMetricsSchema,
});

export type DriftSummary = z.infer<typeof driftSummarySchema>;
export type PerformanceSummary = z.infer<typeof performanceSummarySchema>;
export type CheckMetrics = z.infer<typeof checkMetricsSchema>;
export type CheckResult = z.infer<typeof checkResultSchema>;
