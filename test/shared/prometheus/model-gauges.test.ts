import { describe, expect, it } from "vitest";
import { renderExposition } from "#shared/prometheus/exposition";
import { type ModelSnapshot, modelGaugeNames, modelGauges } from "#shared/prometheus/model-gauges";
import { sampleCheck, uncomputedMetrics } from "../../support/check-results.ts";
import { sampleAlert } from "../../support/notifications.ts";
import { parseExposition } from "../../support/prometheus-text.ts";

const checked = sampleCheck();

/** A first check without a baseline, labels or latency: most values could not be computed. */
const uncomputed = sampleCheck({
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
  metrics: uncomputedMetrics,
});

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
      sampleAlert("churn", "a", "firing", "warning"),
      sampleAlert("churn", "b", "firing", "warning"),
      sampleAlert("churn", "c", "firing", "critical"),
      sampleAlert("churn", "d", "acknowledged", "critical"),
      sampleAlert("churn", "e", "pending", "emergency"),
      sampleAlert("churn", "f", "resolved", "info"),
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
