import { notApplicable } from "#shared/performance/metric-value";
import {
  metricNameOf,
  type PerformanceMetric,
  type PerformanceMetricEntry,
} from "#shared/schemas/model-config";
import type {
  ClassificationReport,
  NotApplicable,
  RegressionReport,
} from "#shared/schemas/performance-metrics";
import type { MetricComparison } from "#shared/schemas/performance-report";

/** Metrics where lower is better: for them a rise is the drop. */
const LOSSES: ReadonlySet<PerformanceMetric> = new Set(["logLoss", "mae", "rmse", "mape"]);

export interface PeriodComparison {
  comparison: Partial<Record<PerformanceMetric, MetricComparison>>;
  /** Whether any metric dropped beyond its threshold. */
  dropped: boolean;
  /** The largest relative drop among the metrics that have one; null when none has. */
  drop: number | null;
  droppedMetrics: PerformanceMetric[];
}

/**
 * Compares each configured metric of the current period with the reference period's, each held to its
 * own `maxRelativeDrop` or else the model's:
 *
 *   relative drop = (reference − current) / |reference|   (accuracy, precision, recall, F1, ROC AUC, R²)
 *   relative drop = (current − reference) / |reference|   (log loss, MAE, RMSE, MAPE: a rise is a drop)
 *
 * A metric has dropped when its relative drop exceeds its threshold. A metric that one period cannot
 * compute (ROC AUC without probabilities, say) is reported with the reason and never drops. A
 * reference of exactly 0 makes any change unbounded: the relative drop is then null, and the metric
 * has dropped when the current value is worse.
 *
 * @example
 * // accuracy 0.9 in the reference period, 0.8 now: a relative drop of 0.111…, beyond 0.05
 * comparePeriods(current, reference, ["accuracy"], 0.05).dropped; // true
 */
export function comparePeriods(
  current: ClassificationReport | RegressionReport,
  reference: ClassificationReport | RegressionReport,
  entries: readonly PerformanceMetricEntry[],
  maxRelativeDrop: number,
): PeriodComparison {
  const comparison: PeriodComparison["comparison"] = {};
  const droppedMetrics: PerformanceMetric[] = [];
  let drop: number | null = null;
  for (const entry of entries) {
    const metric = metricNameOf(entry);
    const threshold = typeof entry === "string" ? maxRelativeDrop : entry.maxRelativeDrop;
    const compared = compareMetric(
      metric,
      metricValue(current, metric),
      metricValue(reference, metric),
      threshold,
    );
    comparison[metric] = compared;
    if (compared.dropped) droppedMetrics.push(metric);
    if (compared.relativeDrop !== null) drop = Math.max(drop ?? compared.relativeDrop, compared.relativeDrop);
  }
  return { comparison, dropped: droppedMetrics.length > 0, drop, droppedMetrics };
}

/**
 * The value of a named metric in a classification or regression report.
 *
 * @example
 * metricValue(classificationReport, "f1.macro"); // classificationReport.macro.f1
 */
export function metricValue(
  report: ClassificationReport | RegressionReport,
  metric: PerformanceMetric,
): number | NotApplicable {
  if ("accuracy" in report) {
    const averages = (average: "macro" | "weighted", score: "precision" | "recall" | "f1") => {
      const scores = report[average];
      return "notApplicable" in scores ? scores : scores[score];
    };
    switch (metric) {
      case "accuracy":
        return report.accuracy;
      case "precision.macro":
        return averages("macro", "precision");
      case "recall.macro":
        return averages("macro", "recall");
      case "f1.macro":
        return averages("macro", "f1");
      case "precision.weighted":
        return averages("weighted", "precision");
      case "recall.weighted":
        return averages("weighted", "recall");
      case "f1.weighted":
        return averages("weighted", "f1");
      case "rocAuc":
        return "notApplicable" in report.rocAuc ? report.rocAuc : report.rocAuc.value;
      case "logLoss":
        return report.logLoss;
    }
  } else if (metric === "mae" || metric === "rmse" || metric === "mape" || metric === "r2") {
    return report[metric];
  }
  return notApplicable(`${metric} is not a metric of this model's task`);
}

function compareMetric(
  metric: PerformanceMetric,
  current: number | NotApplicable,
  reference: number | NotApplicable,
  threshold: number,
): MetricComparison {
  const better = LOSSES.has(metric) ? "lower" : "higher";
  const base = {
    current: typeof current === "number" ? current : null,
    reference: typeof reference === "number" ? reference : null,
    better,
    threshold,
  } as const;
  if (typeof current !== "number" || typeof reference !== "number") {
    const missing = typeof current !== "number" ? current : (reference as NotApplicable);
    const side = typeof current !== "number" ? "current" : "reference";
    return {
      ...base,
      relativeDrop: null,
      dropped: false,
      reason: `not computable in the ${side} period: ${missing.notApplicable}`,
    };
  }
  const fall = better === "higher" ? reference - current : current - reference;
  if (reference === 0) {
    return fall === 0
      ? { ...base, relativeDrop: 0, dropped: false }
      : {
          ...base,
          relativeDrop: null,
          dropped: fall > 0,
          reason: `the reference ${metric} is 0, so a relative change from it is unbounded`,
        };
  }
  const relativeDrop = fall / Math.abs(reference);
  return { ...base, relativeDrop, dropped: relativeDrop > threshold };
}
