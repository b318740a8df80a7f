import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { modelGaugeNames } from "#shared/prometheus/model-gauges";

interface Target {
  expr?: string;
  datasource?: { type?: string; uid?: string };
}

interface Panel {
  title: string;
  type: string;
  datasource?: { type?: string; uid?: string };
  targets?: Target[];
  panels?: Panel[];
}

const dashboard = JSON.parse(
  readFileSync(new URL("../../../grafana/driftwatch-dashboard.json", import.meta.url), "utf8"),
);
// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's placeholder for the data source picked on import
const PROMETHEUS_INPUT = { type: "prometheus", uid: "${DS_PROMETHEUS}" };

/** Every panel, including those inside collapsed rows. */
const panels: Panel[] = (dashboard.panels as Panel[]).flatMap((panel) => [panel, ...(panel.panels ?? [])]);
const queried = panels.filter((panel) => panel.type !== "row");
const metricsOf = (expr: string) => expr.match(/\bdriftwatch_[a-z_]+\b/g) ?? [];

describe("the Grafana dashboard", () => {
  it("asks for a Prometheus data source on import", () => {
    expect(dashboard.__inputs).toEqual([
      expect.objectContaining({ name: "DS_PROMETHEUS", type: "datasource", pluginId: "prometheus" }),
    ]);
    for (const panel of queried) {
      expect(panel.datasource, panel.title).toEqual(PROMETHEUS_INPUT);
      for (const target of panel.targets ?? [])
        expect(target.datasource, panel.title).toEqual(PROMETHEUS_INPUT);
    }
  });

  it("offers the models the endpoint reports as the model variable", () => {
    const model = dashboard.templating.list.find((variable: { name: string }) => variable.name === "model");
    expect(model).toMatchObject({ type: "query", datasource: PROMETHEUS_INPUT });
    expect(model.definition).toBe("label_values(driftwatch_rows, model)");
    expect(metricsOf(model.definition).every((name) => modelGaugeNames.includes(name))).toBe(true);
  });

  it("queries in every panel only metrics GET /metrics emits, filtered by the model variable", () => {
    for (const panel of queried) {
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const { expr } of panel.targets ?? []) {
        const named = metricsOf(expr ?? "");
        expect(named.length, `${panel.title}: ${expr}`).toBeGreaterThan(0);
        for (const name of named) expect(modelGaugeNames, `${panel.title}: ${expr}`).toContain(name);
        expect(expr, panel.title).toContain('model=~"$model"');
      }
    }
  });

  it("plots drift, prediction PSI, latency, errors, volume and alerts", () => {
    const plotted = new Set(
      queried.flatMap((panel) => (panel.targets ?? []).flatMap((t) => metricsOf(t.expr ?? ""))),
    );
    for (const name of [
      "driftwatch_drifted_share",
      "driftwatch_feature_drift_score",
      "driftwatch_prediction_psi",
      "driftwatch_latency_ms",
      "driftwatch_error_rate",
      "driftwatch_volume_zscore",
      "driftwatch_alerts_firing",
    ]) {
      expect(plotted).toContain(name);
    }
  });

  it("gives every panel a unique id and a place on the grid", () => {
    const ids = panels.map((panel) => (panel as Panel & { id: number }).id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of panels) {
      const { gridPos } = panel as Panel & { gridPos: { x: number; w: number } };
      expect(gridPos.x + gridPos.w, panel.title).toBeLessThanOrEqual(24);
    }
  });
});
