import { describe, expect, it } from "vitest";
import { ADMIN_TOKEN, useLocalApi } from "../support/local-api.ts";
import { monitoredModel } from "../support/monitored-model.ts";

const call = useLocalApi();

describe("GET /v1/models/{modelId}/distributions", () => {
  it("gives the reference-vs-current histograms of the newest check, or of the check asked for", async () => {
    const model = await monitoredModel(call, "distributions");
    const steady = await model.check(0);
    const drifted = await model.check(3);

    const newest = await call("GET", `/v1/models/${model.modelId}/distributions`, { token: ADMIN_TOKEN });
    expect(newest.status).toBe(200);
    expect(newest.body).toMatchObject({
      modelId: model.modelId,
      checkId: drifted.checkId,
      baselineVersion: 1,
    });
    const tenure = newest.body.features.tenure;
    expect(tenure.kind).toBe("numeric");
    const share = (side: "reference" | "current") =>
      tenure.bins.reduce((sum: number, bin: Record<string, number>) => sum + (bin[side] as number), 0);
    expect(share("reference")).toBeCloseTo(1, 9);
    expect(share("current")).toBeCloseTo(1, 9);
    // Shifted by three standard deviations, the current tenure sits in the upper bins.
    const upper = tenure.bins.slice(Math.floor(tenure.bins.length / 2));
    expect(upper.reduce((sum: number, bin: { current: number }) => sum + bin.current, 0)).toBeGreaterThan(
      0.9,
    );
    expect(newest.body.features.plan).toMatchObject({ kind: "categorical" });
    expect(newest.body.prediction.kind).toBe("categorical");

    const earlier = await call(
      "GET",
      `/v1/models/${model.modelId}/distributions?checkId=${encodeURIComponent(steady.checkId)}`,
      {
        token: ADMIN_TOKEN,
      },
    );
    expect(earlier.body.checkId).toBe(steady.checkId);
    const unknown = await call("GET", `/v1/models/${model.modelId}/distributions?checkId=nope`, {
      token: ADMIN_TOKEN,
    });
    expect(unknown.status).toBe(404);
  });

  it("says why a check without a baseline comparison has none", async () => {
    const model = await monitoredModel(call, "distributions-none", { minSamples: 10_000 });
    const check = await model.check(0);
    const answer = await call(
      "GET",
      `/v1/models/${model.modelId}/distributions?checkId=${encodeURIComponent(check.checkId)}`,
      { token: ADMIN_TOKEN },
    );
    expect(answer.status).toBe(404);
    expect(answer.body.detail).toContain("insufficient-data");
  });
});
