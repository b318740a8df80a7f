import { execFile } from "node:child_process";
import { createServer } from "node:http";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type LocalApi, startLocalApi } from "#shared/local/api-gateway";
import type { StoredRecord } from "#shared/schemas/prediction-record";
import { buildClient } from "../../shared/cli/build.mjs";
import { ADMIN_TOKEN, createClassificationModel } from "../support/local-api.ts";
import { type LoopbackServer, listenOnLoopback, requestBody } from "../support/loopback-server.ts";
import { loggedRecords, logObjectKeys, predictionItems } from "../support/stored-data.ts";

type ClientModule = typeof import("#shared/client/index");

/** The package's own export, resolved through package.json `exports` as a service importing it would. */
const PACKAGE_EXPORT = "driftwatch/client";
const ROOT = new URL("../../", import.meta.url);

let api: LocalApi;
let built: ClientModule;
beforeAll(async () => {
  Object.assign(process.env, inject("awsEnvironment"));
  // What `npm run build` writes to dist/, so the export under test is the one the package ships.
  await buildClient();
  [api, built] = await Promise.all([startLocalApi(0), import(PACKAGE_EXPORT) as Promise<ClientModule>]);
}, 120_000);
afterAll(async () => {
  await api?.close();
});

const byId = (records: readonly StoredRecord[]) => [...records].sort((a, b) => a.id.localeCompare(b.id));

function predictions(count: number): StoredRecord[] {
  const start = Date.now() - 3_600_000;
  return Array.from({ length: count }, (_, i) => ({
    id: `client-${String(i).padStart(5, "0")}`,
    timestamp: new Date(start + i).toISOString(),
    features: {
      age: 20 + (i % 60),
      plan: ["free", "pro", "team"][i % 3] as string,
      score: i % 7 === 0 ? null : i / 10,
    },
    prediction: i % 2,
    probabilities: { "0": 0.25, "1": 0.75 },
    latencyMs: 5 + (i % 40),
  }));
}

describe("the built driftwatch/client against the local API", () => {
  it("logs 2,500 records in batches of 1000, and every one is stored once", async () => {
    const modelId = await createClassificationModel(api.url, "client");
    const errors: Error[] = [];
    const client = new built.DriftWatchClient({
      url: api.url,
      token: ADMIN_TOKEN,
      model: modelId,
      batchSize: 1000,
      onError: (error) => errors.push(error),
    });
    const records = predictions(2500);
    for (const record of records) await client.log(record);
    await client.close();
    expect(errors).toEqual([]);
    expect(await logObjectKeys(modelId)).toHaveLength(3);
    expect(byId(await loggedRecords(modelId))).toEqual(records);
    expect(await predictionItems(modelId)).toHaveLength(2500);
  }, 120_000);

  it("answers the typed calls, and throws DriftWatchApiError with the problem for a refusal", async () => {
    const client = new built.DriftWatchClient({ url: api.url, token: ADMIN_TOKEN });
    const modelId = await createClassificationModel(api.url, "client-calls");
    await expect(client.getModel(modelId)).resolves.toMatchObject({ task: "classification", window: "PT1H" });
    const { models } = await client.listModels();
    expect(models.find((model) => model.modelId === modelId)?.config.task).toBe("classification");
    const ingested = await client.logPredictions(modelId, predictions(3));
    expect(ingested).toEqual({
      accepted: 3,
      ids: ["client-00000", "client-00001", "client-00002"],
      duplicates: 0,
    });
    const error = await client
      .putModel(modelId, { task: "ranking" as "regression" })
      .catch((caught) => caught);
    expect(error).toBeInstanceOf(built.DriftWatchApiError);
    expect(error.status).toBe(400);
    expect(error.errors.map((field: { path: string }) => field.path)).toEqual(["task"]);
  }, 60_000);

  it("runs as a service would: imported by Node through the package's exports, it exits once closed", async () => {
    const modelId = await createClassificationModel(api.url, "client-process");
    const script = `
      import { DriftWatchClient } from "${PACKAGE_EXPORT}";
      const client = new DriftWatchClient({ url: process.argv[1], token: process.argv[2], model: process.argv[3] });
      for (let i = 0; i < 10; i++) await client.log({ id: "p" + i, features: { x: i }, prediction: i % 2 });
      await client.close();
    `;
    const started = Date.now();
    const code = await new Promise<number>((resolve) => {
      execFile(
        process.execPath,
        ["--input-type=module", "-e", script, api.url, ADMIN_TOKEN, modelId],
        { cwd: ROOT, timeout: 30_000 },
        (error) => resolve(error ? Number((error as { code?: unknown }).code ?? 1) : 0),
      );
    });
    expect(code).toBe(0);
    // Well before the 30 s timeout would have killed it: nothing of the client kept it alive.
    expect(Date.now() - started).toBeLessThan(15_000);
    expect((await predictionItems(modelId)).map((item) => item.id).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `p${i}`).sort(),
    );
  }, 60_000);
});

describe("the built driftwatch/client against a throttling server", () => {
  let server: LoopbackServer;
  const seen: Array<{ method: string; url: string; body: string }> = [];
  beforeAll(async () => {
    // Answers the first request to each path 429 with Retry-After: 1, and every later one as the API would.
    server = await listenOnLoopback(
      createServer(async (request, response) => {
        const body = await requestBody(request);
        seen.push({ method: request.method ?? "", url: request.url ?? "", body });
        if (seen.filter((earlier) => earlier.url === request.url).length === 1) {
          response.writeHead(429, { "content-type": "application/problem+json", "retry-after": "1" });
          response.end(
            JSON.stringify({
              type: "about:blank",
              title: "Too many requests",
              status: 429,
              detail: "slow down",
            }),
          );
          return;
        }
        const records = body ? JSON.parse(body).records : undefined;
        response.writeHead(records ? 202 : 200, { "content-type": "application/json" });
        response.end(
          JSON.stringify(
            records
              ? { accepted: records.length, ids: records.map((r: { id: string }) => r.id), duplicates: 0 }
              : { status: "ok" },
          ),
        );
      }),
    );
  });
  afterAll(async () => {
    await server?.close();
  });

  it("sends a batch again after the 429's Retry-After, with the same ids", async () => {
    const errors: Error[] = [];
    const client = new built.DriftWatchClient({
      url: server.url,
      token: "t",
      model: "throttled",
      onError: (error) => errors.push(error),
    });
    const started = Date.now();
    for (const record of predictions(3)) await client.log({ ...record, id: undefined });
    await client.close();
    expect(errors).toEqual([]);
    const posts = seen.filter((request) => request.url === "/v1/models/throttled/predictions");
    expect(posts).toHaveLength(2);
    expect(posts[1]?.body).toBe(posts[0]?.body);
    expect(JSON.parse(posts[0]?.body ?? "").records.map((r: { id: string }) => r.id)).toEqual([
      expect.stringMatching(/^[0-9a-f-]{36}$/),
      expect.stringMatching(/^[0-9a-f-]{36}$/),
      expect.stringMatching(/^[0-9a-f-]{36}$/),
    ]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  }, 30_000);

  it("retries a typed call after a 429 and answers what the retry got", async () => {
    const client = new built.DriftWatchClient({ url: server.url, token: "t" });
    await expect(client.health()).resolves.toEqual({ status: "ok" });
    expect(seen.filter((request) => request.url === "/health")).toHaveLength(2);
  }, 30_000);
});
