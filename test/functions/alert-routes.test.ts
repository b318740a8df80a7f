import { beforeAll, describe, expect, it } from "vitest";
import { alertIdOf, alertKeyOf } from "#shared/alerts/alert-ids";
import type { Alert } from "#shared/schemas/alert";
import { saveAlert } from "#shared/storage/alert-store";
import { ADMIN_TOKEN, useLocalApi } from "../support/local-api.ts";
import { sampleAlert } from "../support/notifications.ts";
import { uniqueModelId } from "../support/stored-data.ts";

const call = useLocalApi();

let modelId: string;
let otherModelId: string;
let modelToken: string;
beforeAll(async () => {
  modelId = uniqueModelId("alerts");
  otherModelId = uniqueModelId("alerts-other");
  for (const id of [modelId, otherModelId]) {
    await call("PUT", `/v1/models/${id}`, { token: ADMIN_TOKEN, body: { task: "classification" } });
  }
  modelToken = (await call("POST", `/v1/models/${modelId}/tokens`, { token: ADMIN_TOKEN })).body.token;
  for (const [name, state] of [
    ["a-firing", "firing"],
    ["b-resolved", "resolved"],
    ["c-pending", "pending"],
    ["d-firing", "firing"],
  ] as const) {
    await saveAlert(sampleAlert(modelId, name, state));
  }
  await saveAlert(sampleAlert(otherModelId, "a-firing", "firing"));
});

describe("GET /v1/alerts", () => {
  it("lists a model's alerts by state, without the rules that have not fired", async () => {
    const all = await call("GET", `/v1/alerts?model=${modelId}`, { token: ADMIN_TOKEN });
    expect(all.status).toBe(200);
    expect(all.body.alerts.map((alert: Alert) => alert.rule.name)).toEqual([
      "a-firing",
      "b-resolved",
      "d-firing",
    ]);
    expect(all.body.alerts[0]).not.toHaveProperty("version");
    const firing = await call("GET", `/v1/alerts?model=${modelId}&state=firing`, { token: ADMIN_TOKEN });
    expect(firing.body.alerts.map((alert: Alert) => alert.rule.name)).toEqual(["a-firing", "d-firing"]);
  });

  it("pages with a cursor", async () => {
    const first = await call("GET", `/v1/alerts?model=${modelId}&limit=2`, { token: ADMIN_TOKEN });
    expect(first.body.alerts).toHaveLength(2);
    const second = await call("GET", `/v1/alerts?model=${modelId}&limit=2&cursor=${first.body.next}`, {
      token: ADMIN_TOKEN,
    });
    expect(second.body.alerts.map((alert: Alert) => alert.rule.name)).toEqual(["d-firing"]);
    const bad = await call("GET", "/v1/alerts?cursor=nonsense", { token: ADMIN_TOKEN });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe("cursor");
  });

  it("shows a model token its own model's alerts only", async () => {
    const own = await call("GET", "/v1/alerts", { token: modelToken });
    expect(new Set(own.body.alerts.map((alert: Alert) => alert.modelId))).toEqual(new Set([modelId]));
    const other = await call("GET", `/v1/alerts?model=${otherModelId}`, { token: modelToken });
    expect(other.status).toBe(403);
    expect((await call("GET", "/v1/alerts")).status).toBe(401);
  });

  it("names the bad query parameter", async () => {
    const answer = await call("GET", "/v1/alerts?state=loud", { token: ADMIN_TOKEN });
    expect(answer.status).toBe(400);
    expect(answer.body.errors[0].path).toBe("state");
  });
});

describe("POST /v1/alerts/{alertId}/ack", () => {
  it("acknowledges a firing alert, says who did, and answers the same when repeated", async () => {
    const alertId = alertIdOf(modelId, alertKeyOf("a-firing"));
    const acked = await call("POST", `/v1/alerts/${alertId}/ack`, { token: modelToken });
    expect(acked.status).toBe(200);
    expect(acked.body).toMatchObject({
      alertId,
      state: "acknowledged",
      acknowledgedBy: expect.stringMatching(/^token:/),
    });
    const again = await call("POST", `/v1/alerts/${alertId}/ack`, { token: ADMIN_TOKEN });
    expect(again.status).toBe(200);
    expect(again.body.state).toBe("acknowledged");
  });

  it("refuses a resolved alert, an unknown one, and another model's token", async () => {
    const resolved = await call("POST", `/v1/alerts/${alertIdOf(modelId, alertKeyOf("b-resolved"))}/ack`, {
      token: ADMIN_TOKEN,
    });
    expect(resolved.status).toBe(409);
    const pending = await call("POST", `/v1/alerts/${alertIdOf(modelId, alertKeyOf("c-pending"))}/ack`, {
      token: ADMIN_TOKEN,
    });
    expect(pending.status).toBe(404);
    expect((await call("POST", "/v1/alerts/not-an-alert/ack", { token: ADMIN_TOKEN })).status).toBe(404);
    const foreign = await call("POST", `/v1/alerts/${alertIdOf(otherModelId, alertKeyOf("a-firing"))}/ack`, {
      token: modelToken,
    });
    expect(foreign.status).toBe(403);
  });
});
