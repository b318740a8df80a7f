import type { CheckMetrics, DriftSummary, PerformanceSummary } from "#shared/schemas/check-result";
import type { DriftReport, TestResult } from "#shared/schemas/drift-report";
import type { LatencyReport, VolumeAnomaly } from "#shared/schemas/performance-metrics";

/**
 * The value of every alert metric of the contract for one check, null where the check could not
 * compute it (no baseline, too few rows, no latency logged, no labels yet). Alert rules read these
 * values and nothing else.
 */
export function checkMetrics(check: {
  rows: number;
  drift: DriftSummary;
  driftReport?: DriftReport;
  performance?: PerformanceSummary;
  latency: LatencyReport;
  traffic: VolumeAnomaly;
}): CheckMetrics {
  const { rows, drift, driftReport, performance, latency, traffic } = check;
  const psiOf = (tests: Record<string, TestResult>) => numberOf(tests.psi, "value");
  const featurePsi = Object.values(driftReport?.features ?? {})
    .map((feature) => psiOf(feature.tests))
    .filter((psi): psi is number => psi !== null);
  return {
    "drift.share": drift.status === "ok" ? (drift.share ?? null) : null,
    "drift.maxPsi": featurePsi.length > 0 ? Math.max(...featurePsi) : null,
    "prediction.psi": driftReport?.prediction ? psiOf(driftReport.prediction.tests) : null,
    "performance.drop": performance?.drop ?? null,
    "performance.estimatedAccuracy": performance?.estimatedAccuracy ?? null,
    "latency.p95": numeric(latency.p95),
    "latency.p99": numeric(latency.p99),
    errorRate: numeric(latency.errorRate),
    "volume.z": numeric(traffic.zScore),
    noData: rows === 0 ? 1 : 0,
  };
}

function numeric(value: number | { notApplicable: string }): number | null {
  return typeof value === "number" ? value : null;
}

function numberOf(result: TestResult | undefined, field: "value"): number | null {
  if (!result || "notApplicable" in result) return null;
  return result[field] ?? null;
}
