import { describe, expect, it } from "vitest";
import { ADMIN_TOKEN, useLocalApi } from "../support/local-api.ts";
import { uniqueModelId } from "../support/stored-data.ts";

const call = useLocalApi();

describe("model configuration", () => {
  it("stores a config with the documented defaults and returns it on GET", async () => {
    const modelId = uniqueModelId("config");
    const body = {
      task: "classification",
      features: { age: { type: "numeric", method: "psi", threshold: 0.2 } },
    };
    const put = await call("PUT", `/v1/models/${modelId}`, { token: ADMIN_TOKEN, body });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      ...body,
      schedule: "rate(1 hour)",
      window: "PT1H",
      minSamples: 100,
      performance: { maxRelativeDrop: 0.05 },
      latency: { p95Ms: 100, p99Ms: 500 },
      alerts: { cooldownSeconds: 3600 },
    });
    const get = await call("GET", `/v1/models/${modelId}`, { token: ADMIN_TOKEN });
    expect(get.body).toEqual(put.body);
  });

  it("replaces the config on a second PUT", async () => {
    const modelId = uniqueModelId("config");
    await call("PUT", `/v1/models/${modelId}`, { token: ADMIN_TOKEN, body: { task: "classification" } });
    await call("PUT", `/v1/models/${modelId}`, {
      token: ADMIN_TOKEN,
      body: { task: "regression", minSamples: 5 },
    });
    const get = await call("GET", `/v1/models/${modelId}`, { token: ADMIN_TOKEN });
    expect(get.body).toMatchObject({ task: "regression", minSamples: 5 });
  });

  it.each([
    ["an unknown key", { task: "regression", colour: "red" }, "colour"],
    ["a missing task", {}, "task"],
    [
      "an unknown method",
      { task: "regression", features: { x: { type: "numeric", method: "magic" } } },
      "features.x.method",
    ],
    ["a schedule under a minute", { task: "regression", schedule: "rate(0 minutes)" }, "schedule"],
    ["a window that is not ISO-8601", { task: "regression", window: "1h" }, "window"],
    [
      "an alert rule on an unknown metric",
      { task: "regression", alerts: { rules: [{ metric: "vibes", threshold: 1, severity: "info" }] } },
      "alerts.rules[0].metric",
    ],
  ])("rejects %s with 400 naming the field", async (_, body, path) => {
    const modelId = uniqueModelId("config");
    const answer = await call("PUT", `/v1/models/${modelId}`, { token: ADMIN_TOKEN, body });
    expect(answer.status).toBe(400);
    expect(answer.body.errors.map((error: { path: string }) => error.path)).toContain(path);
    expect((await call("GET", `/v1/models/${modelId}`, { token: ADMIN_TOKEN })).status).toBe(404);
  });

  it("answers 404 for a model that was never configured", async () => {
    const answer = await call("GET", "/v1/models/never-configured", { token: ADMIN_TOKEN });
    expect(answer.status).toBe(404);
    expect(answer.headers.get("content-type")).toBe("application/problem+json");
  });
});
