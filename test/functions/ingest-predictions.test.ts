import { beforeEach, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, useLocalApi } from "../support/local-api.ts";
import { sampleRecord } from "../support/records.ts";
import { loggedRecords, logObjectKeys, predictionItems, uniqueModelId } from "../support/stored-data.ts";

const call = useLocalApi();

let modelId: string;
beforeEach(async () => {
  modelId = uniqueModelId("ingest");
  const created = await call("PUT", `/v1/models/${modelId}`, {
    token: ADMIN_TOKEN,
    body: { task: "classification" },
  });
  expect(created.status).toBe(200);
});

const post = (body: unknown, token = ADMIN_TOKEN) =>
  call("POST", `/v1/models/${modelId}/predictions`, { token, body });

describe("POST /v1/models/{id}/predictions", () => {
  it("stores a batch as one gzip NDJSON object under the Hive-style key and one item per record", async () => {
    const records = [sampleRecord(1), sampleRecord(2), sampleRecord(3)];
    const answer = await post({ records });
    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({ accepted: 3, ids: ["rec-1", "rec-2", "rec-3"], duplicates: 0 });

    const keys = await logObjectKeys(modelId);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(
      new RegExp(
        `^logs/model=${modelId}/dt=\\d{4}-\\d{2}-\\d{2}/hour=\\d{2}/\\d{8}T\\d{9}Z-[0-9a-f-]{36}\\.ndjson\\.gz$`,
      ),
    );
    expect(await loggedRecords(modelId)).toEqual(records);

    const items = await predictionItems(modelId);
    expect(items.map((item) => item.id).sort()).toEqual(["rec-1", "rec-2", "rec-3"]);
    const first = items.find((item) => item.id === "rec-1");
    expect(first).toMatchObject({ modelId, prediction: 1, latencyMs: 6, version: "v1", logKey: keys[0] });
    expect(first?.expiresAt).toBeGreaterThan(Date.now() / 1000 + 89 * 86_400);
  });

  it("accepts a single record and fills in its id and timestamp", async () => {
    const answer = await post({ features: { x: 1.5 }, prediction: "cat" });
    expect(answer.status).toBe(202);
    expect(answer.body.accepted).toBe(1);
    const [stored] = await loggedRecords(modelId);
    expect(stored?.id).toBe(answer.body.ids[0]);
    expect(Date.parse(stored?.timestamp ?? "")).toBeGreaterThan(Date.now() - 60_000);
  });

  it("stores a retried request once: same ids, no new object, no new items", async () => {
    const records = [sampleRecord(1), sampleRecord(2)];
    await post({ records });
    const retry = await post({ records });
    expect(retry.status).toBe(202);
    expect(retry.body).toEqual({ accepted: 2, ids: ["rec-1", "rec-2"], duplicates: 2 });
    expect(await logObjectKeys(modelId)).toHaveLength(1);
    expect(await predictionItems(modelId)).toHaveLength(2);
  });

  it("stores only the new records of a request that repeats some ids", async () => {
    await post({ records: [sampleRecord(1)] });
    const answer = await post({ records: [sampleRecord(1), sampleRecord(2)] });
    expect(answer.body.duplicates).toBe(1);
    expect((await loggedRecords(modelId)).map((record) => record.id).sort()).toEqual(["rec-1", "rec-2"]);
  });

  it("accepts 1000 records in one request", async () => {
    const records = Array.from({ length: 1000 }, (_, index) => sampleRecord(index));
    const answer = await post({ records });
    expect(answer.status).toBe(202);
    expect(await predictionItems(modelId)).toHaveLength(1000);
  });

  it("answers 404 for an unknown model", async () => {
    const answer = await call("POST", "/v1/models/no-such-model/predictions", {
      token: ADMIN_TOKEN,
      body: sampleRecord(1),
    });
    expect(answer.status).toBe(404);
    expect(answer.headers.get("content-type")).toBe("application/problem+json");
  });
});

const future = new Date(Date.now() + 8 * 86_400_000).toISOString();

describe("rejects bad input with a 4xx naming the field, storing nothing", () => {
  const badBodies: Array<[string, unknown, string]> = [
    ["zero records", { records: [] }, "records"],
    [
      "more than 1000 records",
      { records: Array.from({ length: 1001 }, (_, i) => sampleRecord(i)) },
      "records",
    ],
    [
      "NaN-like strings where numbers belong",
      { records: [sampleRecord(1, { latencyMs: "NaN" })] },
      "records[0].latencyMs",
    ],
    [
      "a string prediction probability",
      { records: [sampleRecord(1, { probabilities: { a: "0.5" } })] },
      "records[0].probabilities.a",
    ],
    [
      "an object feature value",
      { records: [sampleRecord(1, { features: { x: { nested: 1 } } })] },
      "records[0].features.x",
    ],
    [
      "an array feature value",
      { records: [sampleRecord(1, { features: { x: [1, 2] } })] },
      "records[0].features.x",
    ],
    [
      "more than 500 features",
      {
        records: [
          sampleRecord(1, {
            features: Object.fromEntries(Array.from({ length: 501 }, (_, i) => [`f${i}`, i])),
          }),
        ],
      },
      "records[0].features",
    ],
    ["an empty feature name", { records: [sampleRecord(1, { features: { "": 1 } })] }, "records[0].features"],
    [
      "a feature name over 128 characters",
      { records: [sampleRecord(1, { features: { ["x".repeat(129)]: 1 } })] },
      "records[0].features",
    ],
    [
      "a feature name with control characters",
      { records: [sampleRecord(1, { features: { "a\u0007b": 1 } })] },
      "records[0].features",
    ],
    ["duplicate ids in one request", { records: [sampleRecord(1), sampleRecord(1)] }, "records[1].id"],
    ["an id over 128 characters", { records: [sampleRecord(1, { id: "i".repeat(129) })] }, "records[0].id"],
    [
      "a timestamp that is not ISO-8601",
      { records: [sampleRecord(1, { timestamp: "yesterday" })] },
      "records[0].timestamp",
    ],
    [
      "a timestamp more than 7 days ahead",
      { records: [sampleRecord(1, { timestamp: future })] },
      "records[0].timestamp",
    ],
    ["a negative latencyMs", { records: [sampleRecord(1, { latencyMs: -1 })] }, "records[0].latencyMs"],
    ["a missing prediction", { records: [{ features: { x: 1 } }] }, "records[0].prediction"],
    ["an unknown record field", { records: [sampleRecord(1, { colour: "red" })] }, "records[0].colour"],
    ["an unknown field of a single record", sampleRecord(1, { colour: "red" }), "colour"],
    [
      "one bad record among good ones",
      { records: [sampleRecord(1), sampleRecord(2, { latencyMs: -5 })] },
      "records[1].latencyMs",
    ],
  ];

  it.each(badBodies)("rejects %s", async (_, body, path) => {
    const answer = await post(body);
    expect(answer.status).toBe(400);
    expect(answer.headers.get("content-type")).toBe("application/problem+json");
    expect(answer.body).toMatchObject({ type: "about:blank", status: 400, title: "Invalid request" });
    // A bad feature name is reported under its own key, e.g. records[0].features["a\u0007b"].
    const paths: string[] = answer.body.errors.map((error: { path: string }) => error.path);
    expect(
      paths.some(
        (reported) => reported === path || reported.startsWith(`${path}[`) || reported.startsWith(`${path}.`),
      ),
    ).toBe(true);
    expect(await logObjectKeys(modelId)).toEqual([]);
    expect(await predictionItems(modelId)).toEqual([]);
  });

  const rawCases: Array<[string, string | Buffer, Record<string, string>, number]> = [
    ["invalid JSON", "{records: [", { "content-type": "application/json" }, 400],
    ["a bare NaN", '{"features": {"x": NaN}, "prediction": 1}', { "content-type": "application/json" }, 400],
    ["an empty body", "", { "content-type": "application/json" }, 400],
    ["a wrong Content-Type", JSON.stringify(sampleRecord(1)), { "content-type": "text/csv" }, 415],
    ["no Content-Type", JSON.stringify(sampleRecord(1)), {}, 415],
    [
      "a body over 6 MB",
      `{"records": [], "pad": "${"x".repeat(6 * 1024 * 1024)}"}`,
      { "content-type": "application/json" },
      413,
    ],
  ];

  it.each(rawCases)("rejects %s", async (_, rawBody, headers, status) => {
    const answer = await call("POST", `/v1/models/${modelId}/predictions`, {
      token: ADMIN_TOKEN,
      rawBody,
      headers,
    });
    expect(answer.status).toBe(status);
    expect(answer.headers.get("content-type")).toBe("application/problem+json");
    expect(answer.body.status).toBe(status);
    expect(await logObjectKeys(modelId)).toEqual([]);
  });

  it.each([
    ["a dot-dot model id", "/v1/models/../predictions", 404],
    ["an id starting with a dot", "/v1/models/.hidden/predictions", 400],
    ["an encoded slash", "/v1/models/a%2Fb/predictions", 400],
    ["a unicode look-alike", `/v1/models/${encodeURIComponent("mоdel")}/predictions`, 400],
    ["an id over 64 characters", `/v1/models/${"m".repeat(65)}/predictions`, 400],
  ])("rejects %s", async (_, path, status) => {
    const answer = await call("POST", path, { token: ADMIN_TOKEN, body: sampleRecord(1) });
    expect(answer.status).toBe(status);
    if (status === 400) expect(answer.body.errors[0].path).toBe("modelId");
  });
});
