import { type CheckResult, checkMetricsSchema, checkResultSchema } from "#shared/schemas/check-result";
import { alertMetricSchema } from "#shared/schemas/model-config";

/** Every alert metric null, as a check that could compute none of them records them. */
export const uncomputedMetrics = checkMetricsSchema.parse(
  Object.fromEntries(alertMetricSchema.options.map((name) => [name, null])),
);

/**
 * A scheduled check of model churn over the hour to 2026-12-01T13:00Z that computed every alert
 * metric: two features compared against baseline 1, tenure drifting; `overrides` replace top-level
 * fields.
 */
export function sampleCheck(overrides: Partial<CheckResult> = {}): CheckResult {
  return checkResultSchema.parse({
    modelId: "churn",
    checkId: "2026-12-01T13:00:00.000Z#scheduled",
    trigger: "scheduled",
    window: { from: "2026-12-01T12:00:00.000Z", to: "2026-12-01T13:00:00.000Z" },
    checkedAt: "2026-12-01T13:00:04.000Z",
    rows: 600,
    drift: {
      status: "ok",
      baselineVersion: 1,
      referenceRows: 1000,
      currentRows: 600,
      drifted: true,
      share: 0.5,
      driftedFeatures: ["tenure"],
      featureScores: { tenure: 0.41, plan: 0.02 },
    },
    performance: {
      status: "ok",
      currentLabelled: 300,
      referenceLabelled: 900,
      coverage: 0.5,
      dropped: false,
      drop: 0.01,
      estimatedAccuracy: 0.87,
      reportKey: "reports/churn/performance.json",
    },
    latency: { records: 600, errors: 6, errorRate: 0.01, timed: 600, p50: 20, p95: 48.5, p99: 90 },
    traffic: { count: 600, trailingWindows: 3, trailingMean: 580, trailingSd: 10, zScore: 2 },
    slo: { p95Ms: 100, p99Ms: 500, met: true },
    metrics: {
      "drift.share": 0.5,
      "drift.maxPsi": 0.41,
      "prediction.psi": 0.12,
      "performance.drop": 0.01,
      "performance.estimatedAccuracy": 0.87,
      "latency.p95": 48.5,
      "latency.p99": 90,
      errorRate: 0.01,
      "volume.z": 2,
      noData: 0,
    },
    ...overrides,
  });
}
