import { z } from "zod";
import {
  classificationReportSchema,
  notApplicableSchema,
  regressionReportSchema,
} from "#shared/schemas/performance-metrics";
import { checkWindowSchema } from "./check-window.ts";
import { performanceMetricSchema } from "./model-config.ts";

const count = z.int().nonnegative();
const share = z.number().min(0).max(1);

/**
 * What a check could conclude about performance. Never a verdict without the data for one:
 * `no-labels` while neither period has ground truth, `insufficient-data` while either has fewer than
 * `minSamples` labelled predictions.
 */
export const performanceStatusSchema = z.enum(["ok", "no-labels", "insufficient-data"]);

/**
 * How late ground truth arrives: labeledAt − receivedAt of the period's labelled predictions, in
 * seconds, the median and 95th percentile by numpy.quantile's default (linear) method.
 */
export const labelLagSchema = z.strictObject({ medianSeconds: z.number(), p95Seconds: z.number() });

const periodFields = {
  /** By prediction receipt time: `from` inclusive, `to` exclusive. */
  period: checkWindowSchema,
  /**
   * Predictions received in the part of the period that the model's checks covered (their window rows,
   * non-overlapping windows only); null when no check covered any of it.
   */
  rows: count.nullable(),
  /** The share of the period's time those checks' windows cover. */
  checkedShare: share,
  /** Predictions of the period with ground truth (an id's latest label). */
  labelled: count,
  /** Labelled ÷ predicted over the windows `rows` counts; null without rows. */
  coverage: z.number().nonnegative().nullable(),
  labelLag: labelLagSchema.nullable(),
};

export const classificationPeriodSchema = z.strictObject({
  ...periodFields,
  metrics: classificationReportSchema,
});

export const regressionPeriodSchema = z.strictObject({
  ...periodFields,
  /** Labelled predictions left out because the label or the prediction is not a number. */
  nonNumeric: count,
  metrics: regressionReportSchema,
});

/** One compared metric: its value in each period and how far the current one fell. */
export const metricComparisonSchema = z.strictObject({
  current: z.number().nullable(),
  reference: z.number().nullable(),
  /** Whether a higher value is better (accuracy, F1, ROC AUC, R²) or a lower one (the losses). */
  better: z.enum(["higher", "lower"]),
  /**
   * (reference − current) / |reference| for a higher-is-better metric, (current − reference) /
   * |reference| for a loss, so a rise of a loss is a drop; negative when the metric improved.
   */
  relativeDrop: z.number().nullable(),
  threshold: z.number().nonnegative(),
  /** relativeDrop > threshold. */
  dropped: z.boolean(),
  /** Why relativeDrop is null. */
  reason: z.string().optional(),
});

/** A check window of the periods, with what its ground truth says by now. */
export const classificationWindowSchema = z.strictObject({
  checkId: z.string(),
  window: checkWindowSchema,
  /** Predictions the check counted in its window. */
  rows: count.nullable(),
  labelled: count,
  /** Realised accuracy of the window's labelled predictions; null before any label. */
  accuracy: share.nullable(),
  /** What confidence-based estimation said when the window was checked. */
  estimatedAccuracy: share.nullable(),
});

export const regressionWindowSchema = z.strictObject({
  checkId: z.string(),
  window: checkWindowSchema,
  rows: count.nullable(),
  labelled: count,
  /** Realised mean absolute error of the window's labelled predictions. */
  mae: z.number().nonnegative().nullable(),
});

/** Confidence-based performance estimation (CBPE) of the check's own window, which has no labels yet. */
export const accuracyEstimationSchema = z.strictObject({
  window: checkWindowSchema,
  accuracy: z.union([share, notApplicableSchema]),
  /** The window's predictions that logged probabilities, which the estimate averages over (with a calibration). */
  rows: count.optional(),
  withoutProbabilities: count.optional(),
  /** The calibration fitted on the reference period's labelled predictions. */
  calibration: z.union([
    z.strictObject({
      method: z.enum(["binary", "one-vs-rest"]),
      classes: z.array(z.string()),
      referenceRows: count,
    }),
    notApplicableSchema,
  ]),
});

const reportFields = {
  modelId: z.string(),
  checkId: z.string(),
  /** The check's window; the current period ends where it ends. */
  window: checkWindowSchema,
  status: performanceStatusSchema,
  reason: z.string().optional(),
  minSamples: count,
  /** Each configured metric, when the status is `ok`. */
  comparison: z.partialRecord(performanceMetricSchema, metricComparisonSchema),
  /** Whether any compared metric dropped beyond its threshold; null without a verdict. */
  dropped: z.boolean().nullable(),
  /** The largest relative drop among the compared metrics (`performance.drop`). */
  drop: z.number().nullable(),
  droppedMetrics: z.array(performanceMetricSchema),
};

/**
 * The performance report of one check (stored at `reports/model=<id>/performance/<window end>.json`):
 * realised metrics of the current and reference periods from the ground truth received so far,
 * their comparison, and for classification the estimated accuracy of the check's window.
 */
export const performanceReportSchema = z.discriminatedUnion("task", [
  z.strictObject({
    task: z.literal("classification"),
    ...reportFields,
    current: classificationPeriodSchema,
    reference: classificationPeriodSchema,
    estimated: accuracyEstimationSchema,
    /** The checks whose windows lie in the two periods, newest first: estimated against realised. */
    windows: z.array(classificationWindowSchema),
  }),
  z.strictObject({
    task: z.literal("regression"),
    ...reportFields,
    current: regressionPeriodSchema,
    reference: regressionPeriodSchema,
    windows: z.array(regressionWindowSchema),
  }),
]);

export type PerformanceStatus = z.infer<typeof performanceStatusSchema>;
export type LabelLag = z.infer<typeof labelLagSchema>;
export type ClassificationPeriod = z.infer<typeof classificationPeriodSchema>;
export type RegressionPeriod = z.infer<typeof regressionPeriodSchema>;
export type MetricComparison = z.infer<typeof metricComparisonSchema>;
export type ClassificationWindow = z.infer<typeof classificationWindowSchema>;
export type RegressionWindow = z.infer<typeof regressionWindowSchema>;
export type AccuracyEstimation = z.infer<typeof accuracyEstimationSchema>;
export type PerformanceReport = z.infer<typeof performanceReportSchema>;
