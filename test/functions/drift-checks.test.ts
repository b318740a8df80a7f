import { beforeEach, describe, expect, it } from "vitest";
import { runCheck } from "#shared/monitoring/run-check";
import { ADMIN_TOKEN, useLocalApi } from "../support/local-api.ts";
import { Random } from "../support/random.ts";
import { uniqueModelId } from "../support/stored-data.ts";

const call = useLocalApi();

/** Records of a churn-like model; `shift` moves `tenure` by that many standard deviations. */
function records(random: Random, count: number, { shift = 0, prefix = "r" } = {}) {
  return Array.from({ length: count }, (_, i) => {
    const tenure = 24 + 6 * (random.normal() + shift);
    return {
      id: `${prefix}-${i}`,
      features: {
        tenure,
        charges: 70 + 20 * random.normal(),
        plan: random.next() < 0.3 ? "pro" : "basic",
      },
      prediction: tenure < 20 ? "churn" : "stay",
      latencyMs: Math.round(20 + 10 * random.lognormal(0, 0.5)),
      error: random.next() < 0.02,
    };
  });
}

async function logPredictions(modelId: string, batch: ReturnType<typeof records>) {
  for (let start = 0; start < batch.length; start += 250) {
    const answer = await call("POST", `/v1/models/${modelId}/predictions`, {
      token: ADMIN_TOKEN,
      body: { records: batch.slice(start, start + 250) },
    });
    expect(answer.status).toBe(202);
  }
}

let modelId: string;
beforeEach(async () => {
  modelId = uniqueModelId("drift");
  await call("PUT", `/v1/models/${modelId}`, {
    token: ADMIN_TOKEN,
    body: { task: "classification", minSamples: 100, latency: { p95Ms: 500, p99Ms: 1000 } },
  });
});

describe("the drift check", () => {
  it("reports no-baseline, never a verdict, for a model without a baseline", async () => {
    await logPredictions(modelId, records(new Random(1), 200));
    const answer = await call("POST", `/v1/models/${modelId}/checks`, { token: ADMIN_TOKEN });
    expect(answer.status).toBe(200);
    expect(answer.body.drift).toMatchObject({ status: "no-baseline", currentRows: 200 });
    expect(answer.body.drift.drifted).toBeUndefined();
    expect(answer.body.metrics["drift.share"]).toBeNull();
    expect(answer.body.driftReport).toBeNull();
  });

  it("flags the one drifted feature against the baseline, and keeps the report and the history", async () => {
    const random = new Random(2);
    const baseline = await call("PUT", `/v1/models/${modelId}/baseline`, {
      token: ADMIN_TOKEN,
      body: { records: records(random, 1000, { prefix: "ref" }) },
    });
    expect(baseline).toMatchObject({ status: 200, body: { version: 1, rows: 1000 } });
    const current = records(random, 600, { shift: 1 });
    await logPredictions(modelId, current);

    const check = await call("POST", `/v1/models/${modelId}/checks`, { token: ADMIN_TOKEN });
    expect(check.status).toBe(200);
    expect(check.body.drift).toMatchObject({
      status: "ok",
      baselineVersion: 1,
      referenceRows: 1000,
      currentRows: 600,
      drifted: true,
      driftedFeatures: ["tenure"],
    });
    expect(check.body.driftReport.reference).toEqual({ rows: 1000, version: "1" });
    expect(check.body.driftReport.prediction.drifted).toBe(true);
    expect(check.body.metrics["drift.share"]).toBeCloseTo(1 / 3, 12);
    expect(check.body.metrics["prediction.psi"]).toBeGreaterThan(0.1);

    const drift = await call("GET", `/v1/models/${modelId}/drift`, { token: ADMIN_TOKEN });
    expect(drift.status).toBe(200);
    expect(drift.body.latest).toMatchObject({ status: "ok", drifted: true, driftedFeatures: ["tenure"] });
    expect(drift.body.latest.features.tenure.tests.psi.value).toBeGreaterThan(0.1);
    expect(drift.body.history).toHaveLength(1);
    expect(drift.body.history[0]).toMatchObject({ status: "ok", drifted: true, rows: 600 });
  });

  it("computes latency percentiles and the error rate equal to an independent computation", async () => {
    const current = records(new Random(3), 500);
    await logPredictions(modelId, current);
    await call("POST", `/v1/models/${modelId}/checks`, { token: ADMIN_TOKEN });

    const latencies = current.map((record) => record.latencyMs).sort((a, b) => a - b);
    // numpy.quantile's linear method, computed here from its definition rather than by the code under test.
    const numpyQuantile = (q: number) => {
      const h = (latencies.length - 1) * q;
      const below = latencies[Math.floor(h)] as number;
      const above = latencies[Math.ceil(h)] as number;
      return below + (h - Math.floor(h)) * (above - below);
    };
    const answer = await call("GET", `/v1/models/${modelId}/latency`, { token: ADMIN_TOKEN });
    expect(answer.status).toBe(200);
    expect(answer.body.count).toBe(500);
    expect(answer.body.p50).toBeCloseTo(numpyQuantile(0.5), 9);
    expect(answer.body.p95).toBeCloseTo(numpyQuantile(0.95), 9);
    expect(answer.body.p99).toBeCloseTo(numpyQuantile(0.99), 9);
    expect(answer.body.errorRate).toBe(current.filter((record) => record.error).length / 500);
    expect(answer.body.slo).toEqual({ p95Ms: 500, p99Ms: 1000, met: true });
    expect(answer.body.history).toHaveLength(1);
  });

  it("says insufficient-data when the window has fewer than minSamples rows", async () => {
    const random = new Random(4);
    await call("PUT", `/v1/models/${modelId}/baseline`, {
      token: ADMIN_TOKEN,
      body: { records: records(random, 300) },
    });
    await logPredictions(modelId, records(random, 40, { prefix: "few" }));
    const check = await call("POST", `/v1/models/${modelId}/checks`, { token: ADMIN_TOKEN });
    expect(check.body.drift).toMatchObject({
      status: "insufficient-data",
      currentRows: 40,
      referenceRows: 300,
    });
    expect(check.body.drift.drifted).toBeUndefined();
  });

  it("takes a baseline from a window of the model's own traffic", async () => {
    const from = new Date(Date.now() - 1000).toISOString();
    await logPredictions(modelId, records(new Random(5), 300));
    const to = new Date(Date.now() + 1000).toISOString();
    const answer = await call("PUT", `/v1/models/${modelId}/baseline`, {
      token: ADMIN_TOKEN,
      body: { window: { from, to } },
    });
    expect(answer).toMatchObject({ status: 200, body: { version: 1, rows: 300 } });
    const versions = await call("GET", `/v1/models/${modelId}/baseline`, { token: ADMIN_TOKEN });
    expect(versions.body.current).toMatchObject({
      version: 1,
      rows: 300,
      source: { type: "window", from, to },
      createdBy: "admin",
    });
  });

  it("gives the same report when the window is summarised in many groups and merged", async () => {
    const random = new Random(6);
    await call("PUT", `/v1/models/${modelId}/baseline`, {
      token: ADMIN_TOKEN,
      body: { records: records(random, 500) },
    });
    await logPredictions(modelId, records(random, 1000, { shift: 0.5 }));
    const window = {
      from: new Date(Date.now() - 60_000).toISOString(),
      to: new Date(Date.now() + 1000).toISOString(),
    };
    const onePass = await runCheck({ modelId, window, trigger: "manual" }, new Date());
    const merged = await runCheck({ modelId, window, trigger: "manual" }, new Date(), {
      objects: 1,
      bytes: 1,
    });
    expect(merged.result.rows).toBe(1000);
    expect(merged.driftReport).toEqual(onePass.driftReport);
    expect(merged.result.latency).toEqual(onePass.result.latency);
  });

  it("refuses a baseline with a bad record, naming it, and stores nothing", async () => {
    const answer = await call("PUT", `/v1/models/${modelId}/baseline`, {
      token: ADMIN_TOKEN,
      body: {
        records: [
          { features: { a: 1 }, prediction: "x" },
          { features: { a: {} }, prediction: "y" },
        ],
      },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.errors.map((error: { path: string }) => error.path)).toEqual([
      "records[1].features.a",
    ]);
    const versions = await call("GET", `/v1/models/${modelId}/baseline`, { token: ADMIN_TOKEN });
    expect(versions.body).toEqual({ current: null, versions: [] });
  });
});
