import { describe, expect, it } from "vitest";
import { renderExposition } from "#shared/prometheus/exposition";
import { type ModelSnapshot, modelGaugeNames, modelGauges } from "#shared/prometheus/model-gauges";
import { type Alert, type AlertState, alertSchema } from "#shared/schemas/alert";
import { type CheckResult, checkResultSchema } from "#shared/schemas/check-result";
import type { AlertSeverity } from "#shared/schemas/model-config";
import { parseExposition } from "../../support/prometheus-text.ts";

const checked: CheckResult = checkResultSchema.parse({
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
});

/** A first check without a baseline, labels or latency: most values could not be computed. */
const uncomputed: CheckResult = checkResultSchema.parse({
  ...checked,
  modelId: "fresh",
  rows: 40,
  drift: { status: "no-baseline", currentRows: 40 },
  performance: undefined,
  latency: {
    records: 40,
    errors: 0,
    errorRate: 0,
    timed: 0,
    p50: { notApplicable: "no record in the window logged latencyMs" },
    p95: { notApplicable: "no record in the window logged latencyMs" },
    p99: { notApplicable: "no record in the window logged latencyMs" },
  },
  traffic: { count: 40, trailingWindows: 0, zScore: { notApplicable: "no trailing windows" } },
  metrics: Object.fromEntries(Object.keys(checked.metrics).map((name) => [name, null])),
});

function alertOf(modelId: string, name: string, state: AlertState, severity: AlertSeverity): Alert {
  return alertSchema.parse({
    alertId: `${modelId}~${name}`,
    modelId,
    alertKey: name,
    rule: {
      name,
      metric: "drift.share",
      op: ">",
      threshold: 0.2,
      resolveThreshold: 0.18,
      severity,
      for: 1,
      action: "notify",
    },
    state,
    breaches: 1,
    value: 0.5,
    episode: 1,
    lastCheckId: checked.checkId,
    lastWindowTo: checked.window.to,
    updatedAt: checked.checkedAt,
    version: 1,
  });
}

/** The rendered gauges read back, as "name{labels}" → value. */
function seriesOf(snapshots: ModelSnapshot[]): Map<string, number> {
  const series = new Map<string, number>();
  for (const family of parseExposition(renderExposition(modelGauges(snapshots))).values()) {
    for (const { name, labels, value } of family.samples) {
      const labelText = Object.entries(labels).map(([label, text]) => `${label}=${text}`);
      series.set(`${name}{${labelText.join(",")}}`, value);
    }
  }
  return series;
}

describe("modelGauges", () => {
  it("gives every value of the latest check, labelled by model", () => {
    const series = seriesOf([{ modelId: "churn", latest: checked, alerts: [] }]);
    expect(Object.fromEntries([...series].filter(([name]) => !name.startsWith("driftwatch_alerts")))).toEqual(
      {
        "driftwatch_rows{model=churn}": 600,
        "driftwatch_check_timestamp_seconds{model=churn}": Date.UTC(2026, 11, 1, 13) / 1000,
        "driftwatch_drifted_share{model=churn}": 0.5,
        "driftwatch_feature_drift_score{model=churn,feature=plan}": 0.02,
        "driftwatch_feature_drift_score{model=churn,feature=tenure}": 0.41,
        "driftwatch_prediction_psi{model=churn}": 0.12,
        "driftwatch_performance_drop{model=churn}": 0.01,
        "driftwatch_estimated_accuracy{model=churn}": 0.87,
        "driftwatch_latency_ms{model=churn,quantile=0.5}": 20,
        "driftwatch_latency_ms{model=churn,quantile=0.95}": 48.5,
        "driftwatch_latency_ms{model=churn,quantile=0.99}": 90,
        "driftwatch_error_rate{model=churn}": 0.01,
        "driftwatch_volume_zscore{model=churn}": 2,
      },
    );
  });

  it("leaves out what the check could not compute, rather than writing NaN, and says so in HELP", () => {
    const families = modelGauges([{ modelId: "fresh", latest: uncomputed, alerts: [] }]);
    const emitted = families.filter((family) => family.samples.length > 0).map((family) => family.name);
    expect(emitted).toEqual([
      "driftwatch_rows",
      "driftwatch_check_timestamp_seconds",
      "driftwatch_error_rate",
      "driftwatch_alerts_firing",
      "driftwatch_alerts_acknowledged",
    ]);
    const text = renderExposition(families);
    expect(text).not.toMatch(/NaN|Inf/);
    for (const family of families.filter(({ samples }) => samples.length === 0))
      expect(family.help).toMatch(/Absent while the latest check could not compute it/);
  });

  it("gives a model without any check its alert counts alone", () => {
    const series = seriesOf([{ modelId: "new", alerts: [] }]);
    expect([...series.keys()].every((name) => name.startsWith("driftwatch_alerts_"))).toBe(true);
    expect(series.get("driftwatch_alerts_firing{model=new,severity=warning}")).toBe(0);
  });

  it("counts firing and acknowledged alerts per severity, zeros included, and ignores pending and resolved ones", () => {
    const alerts = [
      alertOf("churn", "a", "firing", "warning"),
      alertOf("churn", "b", "firing", "warning"),
      alertOf("churn", "c", "firing", "critical"),
      alertOf("churn", "d", "acknowledged", "critical"),
      alertOf("churn", "e", "pending", "emergency"),
      alertOf("churn", "f", "resolved", "info"),
    ];
    const series = seriesOf([{ modelId: "churn", latest: checked, alerts }]);
    const counts = (state: string) =>
      ["info", "warning", "critical", "emergency"].map((severity) =>
        series.get(`driftwatch_alerts_${state}{model=churn,severity=${severity}}`),
      );
    expect(counts("firing")).toEqual([0, 2, 1, 0]);
    expect(counts("acknowledged")).toEqual([0, 0, 1, 0]);
  });

  it("keeps each family together, with the models in the order given", () => {
    const text = renderExposition(
      modelGauges([
        { modelId: "churn", latest: checked, alerts: [] },
        { modelId: "fresh", latest: uncomputed, alerts: [] },
      ]),
    );
    const rows = text.split("\n").filter((line) => line.startsWith("driftwatch_rows"));
    expect(rows).toEqual(['driftwatch_rows{model="churn"} 600', 'driftwatch_rows{model="fresh"} 40']);
    expect([...parseExposition(text).keys()]).toEqual(modelGaugeNames);
  });

  it("names every family driftwatch_*, each a gauge with a HELP text", () => {
    for (const family of modelGauges([])) {
      expect(family.name).toMatch(/^driftwatch_[a-z_]+$/);
      expect(family.type).toBe("gauge");
      expect(family.help.length).toBeGreaterThan(10);
    }
    expect(new Set(modelGaugeNames).size).toBe(modelGaugeNames.length);
  });
});
