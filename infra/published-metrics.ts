import { MODEL_DIMENSION } from "#shared/observability";
import { alertMetricSchema } from "#shared/schemas/model-config";

/**
 * The CloudWatch metrics DriftWatch's own code publishes, as the dashboard and the alarms query them.
 * The handlers write them in the Embedded Metric Format (Powertools Metrics); CloudWatch takes the
 * dimensions of each line as they are, so a query must name exactly those the publisher set, and
 * Powertools always adds `service`.
 */
export const METRICS_NAMESPACE = "DriftWatch";
/** The Powertools service name, and so the value of every metric's `service` dimension. */
export const SERVICE_NAME = "driftwatch";

export interface PublishedMetricSet {
  /** Where the metrics are published, for whoever changes them. */
  readonly publishedBy: string;
  readonly names: readonly string[];
  /** Every dimension of each line, `service` included. */
  readonly dimensions: readonly string[];
}

/** Per model and check: the rows compared and every alert metric the check computed. */
export const checkMetrics: PublishedMetricSet = {
  publishedBy: "shared/monitoring/publish-check-metrics.ts",
  names: ["Rows", ...alertMetricSchema.options],
  dimensions: [MODEL_DIMENSION, "service"],
};

/** Per model, feature and check: the feature's drift score (PSI). */
export const featureDriftMetrics: PublishedMetricSet = {
  publishedBy: "shared/monitoring/publish-check-metrics.ts",
  names: ["DriftScore"],
  dimensions: ["Feature", MODEL_DIMENSION, "service"],
};

/** Per model and accepted ingest request. */
export const ingestMetrics: PublishedMetricSet = {
  publishedBy: "shared/ingest/publish-ingest-metrics.ts",
  names: ["RecordsAccepted", "DuplicateRecords"],
  dimensions: [MODEL_DIMENSION, "service"],
};

/** One per Slack delivery attempt that failed (after its own retries), service-wide. */
export const SLACK_DELIVERY_FAILURES_METRIC = "SlackDeliveryFailures";

/**
 * Counted by a metric filter on the HTTP API's access log (infra/api-stack.ts): the ingest requests
 * answered with a 5xx. No dimensions, since a metric filter can only take them from the log line.
 */
export const INGEST_SERVER_ERRORS_METRIC = "IngestServerErrors";

/**
 * A metric math search over every value of a metric set's dimensions (one line per model, or per
 * model and feature), for a graph across models whose ids are only known at run time.
 */
export function searchExpression(
  set: PublishedMetricSet,
  metricName: string,
  statistic: string,
  periodSeconds: number,
): string {
  if (!set.names.includes(metricName)) {
    throw new Error(`${metricName} is not one of the metrics ${set.publishedBy} publishes.`);
  }
  const schema = [METRICS_NAMESPACE, ...set.dimensions].join(",");
  return `SEARCH('{${schema}} MetricName="${metricName}"', '${statistic}', ${periodSeconds})`;
}
