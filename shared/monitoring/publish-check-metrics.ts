import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { MODEL_DIMENSION, metrics } from "#shared/observability";
import type { CheckResult } from "#shared/schemas/check-result";

/**
 * A check's figures as CloudWatch metrics in the Embedded Metric Format (Powertools Metrics writes
 * them to the log, CloudWatch extracts them): per model the rows, the drifted share and every alert
 * metric the check computed; per model and feature the drift score (PSI), so a dashboard can plot
 * which feature moved.
 */
export function publishCheckMetrics(result: CheckResult): void {
  const perModel = { [MODEL_DIMENSION]: result.modelId };
  publish("Rows", MetricUnit.Count, result.rows, perModel);
  for (const [name, value] of Object.entries(result.metrics)) {
    if (value !== null) publish(name, metricUnitOf(name), value, perModel);
  }
  for (const [feature, score] of Object.entries(result.drift.featureScores ?? {})) {
    publish("DriftScore", MetricUnit.NoUnit, score, { ...perModel, Feature: feature });
  }
}

/** One metric with its own dimensions: a single metric drops its dimensions once it is written. */
function publish(
  name: string,
  unit: (typeof MetricUnit)[keyof typeof MetricUnit],
  value: number,
  dimensions: Record<string, string>,
) {
  const single = metrics.singleMetric();
  single.addDimensions(dimensions);
  single.addMetric(name, unit, value);
}

function metricUnitOf(name: string) {
  if (name.startsWith("latency.")) return MetricUnit.Milliseconds;
  if (name === "noData") return MetricUnit.Count;
  return MetricUnit.NoUnit;
}
