import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { metrics } from "#shared/observability";
import type { CheckResult } from "#shared/schemas/check-result";

/**
 * A check's figures as CloudWatch metrics in the Embedded Metric Format (Powertools Metrics writes
 * them to the log, CloudWatch extracts them): per model the rows, the drifted share and every alert
 * metric the check computed; per model and feature the drift score (PSI), so a dashboard can plot
 * which feature moved.
 */
export function publishCheckMetrics(result: CheckResult): void {
  const perModel = metrics.singleMetric();
  perModel.addDimension("ModelId", result.modelId);
  perModel.addMetric("Rows", MetricUnit.Count, result.rows);
  for (const [name, value] of Object.entries(result.metrics)) {
    if (value !== null) perModel.addMetric(name, metricUnitOf(name), value);
  }
  for (const [feature, score] of Object.entries(result.drift.featureScores ?? {})) {
    const perFeature = metrics.singleMetric();
    perFeature.addDimensions({ ModelId: result.modelId, Feature: feature });
    perFeature.addMetric("DriftScore", MetricUnit.NoUnit, score);
  }
}

function metricUnitOf(name: string) {
  if (name.startsWith("latency.")) return MetricUnit.Milliseconds;
  if (name === "noData") return MetricUnit.Count;
  return MetricUnit.NoUnit;
}
