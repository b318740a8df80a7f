import { describe, expect, it } from "vitest";
import { DriftWatchApiError } from "#shared/client/api-error";
import { DriftWatchClient, type DriftWatchClientOptions } from "#shared/client/driftwatch-client";
import { ApiFailedError } from "#shared/http/with-retries";
import { problem, type Reply, scriptedApi } from "./support/scripted-api.ts";

const ok: Reply = () => Response.json({ answered: true });

function clientOf(replies: Reply[] = [ok], options: Partial<DriftWatchClientOptions> = {}) {
  const api = scriptedApi(replies);
  const waits: number[] = [];
  const client = new DriftWatchClient({
    url: "https://api.example.com/prod",
    token: "secret",
    fetch: api.fetch,
    sleep: async (ms) => waits.push(ms),
    random: () => 0.5,
    ...options,
  });
  return { client, api, waits };
}

describe("DriftWatchClient's calls", () => {
  it("calls each route with its method, path under the base URL's stage, query and JSON body", async () => {
    const { client, api } = clientOf();
    const window = { from: "2026-11-01T00:00:00Z", to: "2026-11-02T00:00:00Z" };
    const calls: Array<[() => Promise<unknown>, string, string, unknown?]> = [
      [() => client.health(), "GET", "/prod/health"],
      [() => client.listModels(), "GET", "/prod/v1/models"],
      [
        () => client.putModel("churn", { task: "classification" }),
        "PUT",
        "/prod/v1/models/churn",
        { task: "classification" },
      ],
      [() => client.getModel("churn"), "GET", "/prod/v1/models/churn"],
      [() => client.createToken("churn"), "POST", "/prod/v1/models/churn/tokens"],
      [
        () => client.logPredictions("churn", [{ id: "a", features: { x: 1 }, prediction: 1 }]),
        "POST",
        "/prod/v1/models/churn/predictions",
        { records: [{ id: "a", features: { x: 1 }, prediction: 1 }] },
      ],
      [
        () => client.sendGroundTruth("churn", [{ id: "a", label: 0 }]),
        "POST",
        "/prod/v1/models/churn/ground-truth",
        { labels: [{ id: "a", label: 0 }] },
      ],
      [() => client.putBaseline("churn", { window }), "PUT", "/prod/v1/models/churn/baseline", { window }],
      [() => client.getBaseline("churn"), "GET", "/prod/v1/models/churn/baseline"],
      [() => client.createBaselineUpload("churn"), "POST", "/prod/v1/models/churn/baseline/uploads"],
      [
        () => client.createBaselineUpload("churn", { bytes: 10 }),
        "POST",
        "/prod/v1/models/churn/baseline/uploads",
        { bytes: 10 },
      ],
      [
        () => client.getBaselineUpload("churn", "7d0c6c56-0000-4000-8000-000000000000"),
        "GET",
        "/prod/v1/models/churn/baseline/uploads/7d0c6c56-0000-4000-8000-000000000000",
      ],
      [() => client.runCheck("churn", { window }), "POST", "/prod/v1/models/churn/checks", { window }],
      [
        () => client.getDrift("churn", { from: window.from, limit: 24 }),
        "GET",
        `/prod/v1/models/churn/drift?from=${encodeURIComponent(window.from)}&limit=24`,
      ],
      [() => client.getLatency("churn"), "GET", "/prod/v1/models/churn/latency"],
      [
        () => client.getPerformance("churn", { cursor: "abc" }),
        "GET",
        "/prod/v1/models/churn/performance?cursor=abc",
      ],
      [
        () => client.listAlerts({ model: "churn", state: "firing" }),
        "GET",
        "/prod/v1/alerts?model=churn&state=firing",
      ],
      [
        () => client.acknowledgeAlert("churn#drift.share#-"),
        "POST",
        "/prod/v1/alerts/churn%23drift.share%23-/ack",
      ],
    ];
    for (const [call, method, path, body] of calls) {
      await expect(call()).resolves.toEqual({ answered: true });
      const request = api.requests.at(-1);
      expect({
        method: request?.method,
        path: `${request?.url.pathname}${request?.url.search}`,
        body: request?.body,
      }).toEqual({
        method,
        path,
        body,
      });
      expect(request?.headers.get("authorization")).toBe("Bearer secret");
      expect(request?.headers.get("content-type")).toBe(body === undefined ? null : "application/json");
    }
  });

  it("revokes a token with DELETE, answering nothing for the 204", async () => {
    const { client, api } = clientOf([() => new Response(null, { status: 204 })]);
    await expect(client.revokeToken("churn", "5f49")).resolves.toBeUndefined();
    expect(api.requests.map((request) => `${request.method} ${request.url.pathname}`)).toEqual([
      "DELETE /prod/v1/models/churn/tokens/5f49",
    ]);
  });

  it("percent-encodes ids, so that no id can reach another route", async () => {
    const { client, api } = clientOf();
    await client.getModel("../alerts");
    await client.getBaselineUpload("churn", "a/b?c");
    expect(api.requests.map((request) => request.url.pathname)).toEqual([
      "/prod/v1/models/..%2Falerts",
      "/prod/v1/models/churn/baseline/uploads/a%2Fb%3Fc",
    ]);
    await expect(client.getModel("..")).rejects.toThrow('modelId must not be ".."');
    await expect(client.revokeToken("churn", "")).rejects.toThrow('tokenId must not be ""');
    expect(api.requests).toHaveLength(2);
  });

  it("gives the records logPredictions sends without an id a UUID, so that a retry cannot store them twice", async () => {
    const { client, api } = clientOf([() => problem(503, {}, { "retry-after": "0" }), ok]);
    await client.logPredictions("churn", { features: {}, prediction: 1 });
    const [first, retried] = api.requests.map((request) => request.body.records[0].id);
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(retried).toBe(first);
  });

  it("throws a DriftWatchApiError with the status and the problem+json body on a refusal", async () => {
    const { client, api } = clientOf([
      () =>
        problem(400, {
          title: "Invalid model configuration",
          detail: "1 problem(s)",
          errors: [{ path: "task", message: "Invalid option" }],
        }),
    ]);
    const error = await client
      .putModel("churn", { task: "ranking" as "regression" })
      .catch((caught) => caught);
    expect(error).toBeInstanceOf(DriftWatchApiError);
    expect(error.status).toBe(400);
    expect(error.problem).toEqual({
      type: "about:blank",
      title: "Invalid model configuration",
      status: 400,
      detail: "1 problem(s)",
      errors: [{ path: "task", message: "Invalid option" }],
    });
    expect(error.errors).toEqual([{ path: "task", message: "Invalid option" }]);
    expect(error.message).toBe(
      "PUT /prod/v1/models/churn: the API answered 400 Invalid model configuration: 1 problem(s)",
    );
    expect(api.requests).toHaveLength(1);
  });

  it("keeps a body that is not problem+json, as API Gateway's own 401", async () => {
    const { client } = clientOf([() => Response.json({ message: "Unauthorized" }, { status: 401 })]);
    const error = await client.listModels().catch((caught) => caught);
    expect(error).toBeInstanceOf(DriftWatchApiError);
    expect(error.status).toBe(401);
    expect(error.problem).toBeUndefined();
    expect(error.body).toEqual({ message: "Unauthorized" });
  });

  it("retries a 429 after its Retry-After and answers what the retry got", async () => {
    const { client, api, waits } = clientOf([
      () => problem(429, { title: "Too many requests" }, { "retry-after": "3" }),
      ok,
    ]);
    await expect(client.getDrift("churn")).resolves.toEqual({ answered: true });
    expect(api.requests).toHaveLength(2);
    expect(waits).toEqual([3000]);
  });

  it("throws a DriftWatchApiError with the last answer when every retry was refused", async () => {
    const { client, api, waits } = clientOf(
      [() => problem(503, { title: "Service unavailable", detail: "Storage" })],
      {
        retry: { retries: 3, baseDelayMs: 100 },
      },
    );
    const error = await client.getLatency("churn").catch((caught) => caught);
    expect(error).toBeInstanceOf(DriftWatchApiError);
    expect(error.status).toBe(503);
    expect(error.message).toBe(
      "gave up on GET /prod/v1/models/churn/latency after 4 attempts: 503 Service unavailable: Storage",
    );
    expect(api.requests).toHaveLength(4);
    // random() = 0.5: half of 100, 200, 400.
    expect(waits).toEqual([50, 100, 200]);
  });

  it("throws ApiFailedError when the API never answers", async () => {
    const { client } = clientOf(
      [
        () => {
          throw new TypeError("fetch failed", {
            cause: Object.assign(new Error("connect"), { code: "ECONNREFUSED" }),
          });
        },
      ],
      { retry: { retries: 1 } },
    );
    const error = await client.health().catch((caught) => caught);
    expect(error).toBeInstanceOf(ApiFailedError);
    expect(error).not.toBeInstanceOf(DriftWatchApiError);
    expect(error.message).toBe("gave up on GET /prod/health after 2 attempts: network error (ECONNREFUSED)");
  });

  it("refuses options it cannot work with", () => {
    const options = { url: "http://127.0.0.1:3000", token: "t" };
    expect(() => new DriftWatchClient({ ...options, url: "ftp://x" })).toThrow(TypeError);
    expect(() => new DriftWatchClient({ ...options, url: "not a url" })).toThrow("url: not a URL");
    expect(() => new DriftWatchClient({ ...options, batchSize: 0 })).toThrow(RangeError);
    expect(() => new DriftWatchClient({ ...options, batchSize: 1001 })).toThrow(
      "batchSize must be a whole number from 1 to 1000",
    );
    expect(() => new DriftWatchClient({ ...options, maxBufferedRecords: 0 })).toThrow(RangeError);
    expect(() => new DriftWatchClient({ ...options, flushIntervalMs: -1 })).toThrow(RangeError);
    expect(() => new DriftWatchClient({ ...options, model: ".hidden" })).toThrow("model: must be 1 to 64");
  });

  it("refuses log() without a model", async () => {
    const { client } = clientOf();
    await expect(client.log({ features: {}, prediction: 1 })).rejects.toThrow(
      "log() needs the `model` option",
    );
  });
});
