import { beforeAll, describe, expect, it } from "vitest";
import type { Notification } from "#shared/schemas/alert";
import { ADMIN_TOKEN, useLocalApi } from "../support/local-api.ts";
import { monitoredModel } from "../support/monitored-model.ts";
import { type ParsedSample, parseExposition } from "../support/prometheus-text.ts";

const call = useLocalApi();

// biome-ignore lint/suspicious/noExplicitAny: the check result as the API answered it (JSON)
let check: any;
let modelId: string;
let otherModelId: string;
let modelToken: string;

beforeAll(async () => {
  const watched = await monitoredModel(call, "metrics", {
    alerts: {
      rules: [
        { name: "drift-warning", metric: "drift.share", threshold: 0.2, severity: "warning" },
        { name: "drift-critical", metric: "drift.share", threshold: 0.3, severity: "critical" },
      ],
    },
  });
  modelId = watched.modelId;
  check = await watched.check(2);
  const critical = (check.notifications as Notification[]).find(
    (notification) => notification.rule.name === "drift-critical",
  );
  expect((await call("POST", `/v1/alerts/${critical?.alertId}/ack`, { token: ADMIN_TOKEN })).status).toBe(
    200,
  );

  const other = await monitoredModel(call, "metrics-other");
  otherModelId = other.modelId;
  await other.check(0);
  modelToken = (await call("POST", `/v1/models/${modelId}/tokens`, { token: ADMIN_TOKEN })).body.token;
});

async function scrape(token: string) {
  const answer = await call("GET", "/metrics", { token });
  expect(answer.status).toBe(200);
  expect(answer.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
  const text = answer.body as string;
  return { text, families: parseExposition(text) };
}

/** The value of the series with exactly these labels, undefined when the scrape has none. */
function seriesValue(
  families: ReturnType<typeof parseExposition>,
  name: string,
  labels: Record<string, string>,
): number | undefined {
  const matches = (sample: ParsedSample) =>
    Object.keys(labels).length === Object.keys(sample.labels).length &&
    Object.entries(labels).every(([label, value]) => sample.labels[label] === value);
  return families.get(name)?.samples.find(matches)?.value;
}

describe("GET /metrics", () => {
  it("gives the admin each model's latest check as Prometheus gauges", async () => {
    const { text, families } = await scrape(ADMIN_TOKEN);
    const model = { model: modelId };
    const lines = text.split("\n");
    expect(lines).toContain(`driftwatch_rows{model="${modelId}"} 200`);
    expect(lines).toContain(`driftwatch_drifted_share{model="${modelId}"} 0.5`);
    expect(lines).toContain("# TYPE driftwatch_drifted_share gauge");
    expect(lines).toContain(`driftwatch_alerts_firing{model="${modelId}",severity="warning"} 1`);

    expect(seriesValue(families, "driftwatch_check_timestamp_seconds", model)).toBe(
      Date.parse(check.window.to) / 1000,
    );
    expect(seriesValue(families, "driftwatch_drifted_share", model)).toBe(check.metrics["drift.share"]);
    expect(Object.keys(check.drift.featureScores).sort()).toEqual(["plan", "tenure"]);
    for (const [feature, score] of Object.entries(check.drift.featureScores)) {
      expect(seriesValue(families, "driftwatch_feature_drift_score", { ...model, feature })).toBe(score);
    }
    expect(seriesValue(families, "driftwatch_prediction_psi", model)).toBe(check.metrics["prediction.psi"]);
    for (const [quantile, field] of [
      ["0.5", "p50"],
      ["0.95", "p95"],
      ["0.99", "p99"],
    ] as const) {
      expect(seriesValue(families, "driftwatch_latency_ms", { ...model, quantile })).toBe(
        check.latency[field],
      );
    }
    expect(seriesValue(families, "driftwatch_error_rate", model)).toBe(0);

    // The first check of a model without labels: no volume baseline, no performance, so no series.
    expect(check.metrics["volume.z"]).toBeNull();
    expect(check.metrics["performance.drop"]).toBeNull();
    expect(check.metrics["performance.estimatedAccuracy"]).toBeNull();
    expect(seriesValue(families, "driftwatch_volume_zscore", model)).toBeUndefined();
    expect(seriesValue(families, "driftwatch_performance_drop", model)).toBeUndefined();
    expect(seriesValue(families, "driftwatch_estimated_accuracy", model)).toBeUndefined();
    expect(text).not.toMatch(new RegExp(`model="${modelId}".*NaN`));

    const alerts = (state: string) =>
      ["info", "warning", "critical", "emergency"].map((severity) =>
        seriesValue(families, `driftwatch_alerts_${state}`, { ...model, severity }),
      );
    expect(alerts("firing")).toEqual([0, 1, 0, 0]);
    expect(alerts("acknowledged")).toEqual([0, 0, 1, 0]);

    expect(seriesValue(families, "driftwatch_rows", { model: otherModelId })).toBe(200);
    expect(seriesValue(families, "driftwatch_drifted_share", { model: otherModelId })).toBe(0);
  });

  it("shows a model token its own model's series and no other", async () => {
    const { families } = await scrape(modelToken);
    const models = new Set(
      [...families.values()].flatMap((family) => family.samples.map((s) => s.labels.model)),
    );
    expect(models).toEqual(new Set([modelId]));
    expect(seriesValue(families, "driftwatch_rows", { model: modelId })).toBe(200);
  });

  it("answers 401 without a token, and 401 problem+json for a token nobody issued", async () => {
    expect((await call("GET", "/metrics")).status).toBe(401);
    const forged = await call("GET", "/metrics", { token: "not-a-token" });
    expect(forged.status).toBe(401);
    expect(forged.headers.get("content-type")).toBe("application/problem+json");
    expect(forged.body).toMatchObject({ status: 401, title: "Unauthorized" });
  });
});
