import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { MODEL_DIMENSION, metrics } from "#shared/observability";
import type { IngestResult } from "./ingest-predictions.ts";

/**
 * An accepted ingest request as CloudWatch metrics, per model: the records stored and the duplicates
 * skipped. They are flushed with the request's other metrics when the handler returns.
 */
export function publishIngestMetrics(modelId: string, result: IngestResult): void {
  metrics.addDimension(MODEL_DIMENSION, modelId);
  metrics.addMetric("RecordsAccepted", MetricUnit.Count, result.accepted - result.duplicates);
  metrics.addMetric("DuplicateRecords", MetricUnit.Count, result.duplicates);
}
