import { z } from "zod";

/**
 * A metric that cannot be computed for the data, and why (sklearn would have answered NaN or raised). Reports
 * are JSON, which has no NaN or Infinity, so an undefined metric is this object instead of a number.
 */
export const notApplicableSchema = z.strictObject({ notApplicable: z.string() });

const count = z.int().nonnegative();
/** A share or a probability-like score, in [0, 1]. */
const unitInterval = z.number().min(0).max(1);
// zod 4's z.number() rejects NaN and ±Infinity, so a parsed report is always valid JSON.
const unitMetric = z.union([unitInterval, notApplicableSchema]);
const nonNegativeMetric = z.union([z.number().nonnegative(), notApplicableSchema]);
const metric = z.union([z.number(), notApplicableSchema]);

export const labelAveragesSchema = z.strictObject({
  precision: unitInterval,
  recall: unitInterval,
  f1: unitInterval,
});

export const classScoreSchema = z.strictObject({
  label: z.string(),
  precision: unitInterval,
  recall: unitInterval,
  f1: unitInterval,
  /** How many rows have this label as their actual label. */
  support: count,
});

/** `counts[i][j]`: rows whose actual label is `labels[i]` and predicted label `labels[j]`. */
export const confusionMatrixSchema = z.strictObject({
  labels: z.array(z.string()),
  counts: z.array(z.array(count)),
});

export const rocAucSchema = z.union([
  /** Two classes: the area for `positiveLabel`, the second of the two in label order. */
  z.strictObject({ value: unitInterval, positiveLabel: z.string() }),
  /** More classes: the unweighted mean of each class's one-vs-rest area. */
  z.strictObject({ value: unitInterval, multiClass: z.literal("ovr"), average: z.literal("macro") }),
  notApplicableSchema,
]);

export const classificationReportSchema = z.strictObject({
  /** Predictions with a ground-truth label. */
  rows: count,
  accuracy: unitMetric,
  macro: z.union([labelAveragesSchema, notApplicableSchema]),
  weighted: z.union([labelAveragesSchema, notApplicableSchema]),
  /** In label order, which is also the confusion matrix's. */
  perClass: z.array(classScoreSchema),
  confusionMatrix: confusionMatrixSchema,
  rocAuc: rocAucSchema,
  logLoss: nonNegativeMetric,
  /** ROC AUC and log loss are computed on the rows that logged probabilities only. */
  probabilities: z.strictObject({
    rows: count,
    missing: count,
    /** Rows whose probabilities do not sum to 1 (to numpy's `allclose`): sklearn's multiclass ROC AUC refuses them. */
    notSummingToOne: count,
  }),
});

export const regressionReportSchema = z.strictObject({
  rows: count,
  mae: nonNegativeMetric,
  rmse: nonNegativeMetric,
  mape: nonNegativeMetric,
  r2: metric,
});

export const latencyReportSchema = z.strictObject({
  records: count,
  /** Records with `error: true`. */
  errors: count,
  errorRate: unitMetric,
  /** Records that logged `latencyMs`, which the percentiles are computed from. */
  timed: count,
  p50: nonNegativeMetric,
  p95: nonNegativeMetric,
  p99: nonNegativeMetric,
});

export const volumeAnomalySchema = z.strictObject({
  count,
  trailingWindows: count,
  trailingMean: z.number().nonnegative().optional(),
  /** Sample standard deviation (ddof 1) of the trailing windows' counts. */
  trailingSd: z.number().nonnegative().optional(),
  zScore: metric,
});

/**
 * A fitted isotonic regression as sklearn keeps it (`X_thresholds_`, `y_thresholds_`): predictions interpolate
 * linearly between the points and are constant beyond the first and last.
 */
export const isotonicCurveSchema = z
  .strictObject({ x: z.array(z.number()).min(1), y: z.array(z.number()).min(1) })
  .refine((curve) => curve.x.length === curve.y.length, "x and y must have the same length");

/**
 * Probability calibration fitted on a labelled reference period, which confidence-based estimation applies to
 * later, unlabelled windows. Stored once per reference so that every window is estimated with the same one.
 */
export const confidenceCalibrationSchema = z.discriminatedUnion("method", [
  z.strictObject({
    method: z.literal("binary"),
    /** The two classes in label order; the second is the positive class. */
    classes: z.tuple([z.string(), z.string()]),
    positiveLabel: z.string(),
    /** Calibrates the positive class's probability. */
    curve: isotonicCurveSchema,
    referenceRows: count,
  }),
  z.strictObject({
    method: z.literal("one-vs-rest"),
    classes: z.array(z.string()).min(3),
    /** `curves[k]` calibrates the probability of `classes[k]`. */
    curves: z.array(isotonicCurveSchema),
    referenceRows: count,
  }),
]);

/** Accuracy estimated from calibrated confidence before labels arrive, to be set against the realised one later. */
export const accuracyEstimateSchema = z.strictObject({
  estimatedAccuracy: unitMetric,
  /** Rows estimated: those that logged probabilities. */
  rows: count,
  withoutProbabilities: count,
});

export type NotApplicable = z.infer<typeof notApplicableSchema>;
export type LabelAverages = z.infer<typeof labelAveragesSchema>;
export type ClassScore = z.infer<typeof classScoreSchema>;
export type ConfusionMatrix = z.infer<typeof confusionMatrixSchema>;
export type RocAuc = z.infer<typeof rocAucSchema>;
export type ClassificationReport = z.infer<typeof classificationReportSchema>;
export type RegressionReport = z.infer<typeof regressionReportSchema>;
export type LatencyReport = z.infer<typeof latencyReportSchema>;
export type VolumeAnomaly = z.infer<typeof volumeAnomalySchema>;
export type IsotonicCurve = z.infer<typeof isotonicCurveSchema>;
export type ConfidenceCalibration = z.infer<typeof confidenceCalibrationSchema>;
export type AccuracyEstimate = z.infer<typeof accuracyEstimateSchema>;
