import { afterEach, describe, expect, it, vi } from "vitest";
import {
  checkMetrics,
  featureDriftMetrics,
  ingestMetrics,
  METRICS_NAMESPACE,
  type PublishedMetricSet,
  searchExpression,
} from "../../infra/published-metrics.ts";
import { publishIngestMetrics } from "../../shared/ingest/publish-ingest-metrics.ts";
import { publishCheckMetrics } from "../../shared/monitoring/publish-check-metrics.ts";
import { metrics } from "../../shared/observability.ts";
import { sampleCheck } from "../support/check-results.ts";

/** A check that computed every alert metric and two features' drift scores. */
const check = sampleCheck();

interface EmfLine {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
}

/** The Embedded Metric Format lines Powertools writes to stdout while `publish` runs. */
function emfLinesOf(publish: () => void): EmfLine[] {
  const written: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  publish();
  vi.restoreAllMocks();
  return written
    .join("")
    .split("\n")
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as EmfLine);
}

/** Metric name -> its dimension names, sorted, as CloudWatch will index it. */
function publishedDimensions(lines: EmfLine[]): Map<string, string[]> {
  const published = new Map<string, string[]>();
  for (const { _aws } of lines) {
    for (const directive of _aws.CloudWatchMetrics) {
      expect(directive.Namespace).toBe(METRICS_NAMESPACE);
      for (const metric of directive.Metrics) {
        published.set(metric.Name, [...(directive.Dimensions[0] ?? [])].sort());
      }
    }
  }
  return published;
}

const sorted = (set: PublishedMetricSet) => [...set.dimensions].sort();

describe("the metrics the dashboard and alarms query", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("are the per-feature drift scores as a check publishes them", () => {
    vi.stubEnv("POWERTOOLS_METRICS_DISABLED", "false");
    const published = publishedDimensions(emfLinesOf(() => publishCheckMetrics(check)));
    expect(published.get("DriftScore")).toEqual(sorted(featureDriftMetrics));
  });

  it("are the per-model metrics as a check publishes them, each with its model", () => {
    vi.stubEnv("POWERTOOLS_METRICS_DISABLED", "false");
    const published = publishedDimensions(emfLinesOf(() => publishCheckMetrics(check)));
    for (const name of checkMetrics.names) {
      expect(published.get(name), name).toEqual(sorted(checkMetrics));
    }
  });

  it("are the per-model ingest counts as an accepted request publishes them, with the check metrics' model dimension", () => {
    vi.stubEnv("POWERTOOLS_METRICS_DISABLED", "false");
    const published = publishedDimensions(
      emfLinesOf(() => {
        publishIngestMetrics("churn", { accepted: 3, ids: ["a", "b", "c"], duplicates: 1 });
        metrics.publishStoredMetrics();
      }),
    );
    for (const name of ingestMetrics.names) {
      expect(published.get(name), name).toEqual(sorted(ingestMetrics));
    }
    expect(sorted(ingestMetrics)).toEqual(sorted(checkMetrics));
  });

  it("are searched for with every dimension they are published with, so a search matches them exactly", () => {
    expect(searchExpression(checkMetrics, "drift.share", "Maximum", 3600)).toBe(
      `SEARCH('{DriftWatch,ModelId,service} MetricName="drift.share"', 'Maximum', 3600)`,
    );
    expect(() => searchExpression(checkMetrics, "DriftScore", "Maximum", 3600)).toThrow(
      /not one of the metrics shared\/monitoring\/publish-check-metrics.ts publishes/,
    );
  });
});
