import { once } from "node:events";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type LocalApi, startLocalApi } from "#shared/local/api-gateway";
import type { StoredRecord } from "#shared/schemas/prediction-record";
import { useBuiltCli } from "../shared/cli/support/run-cli.ts";
import { parquetFile } from "../shared/readers/support/parquet-writer.ts";
import { useTempFiles } from "../shared/readers/support/temp-files.ts";
import { ADMIN_TOKEN, createClassificationModel } from "../support/local-api.ts";
import { loggedRecords, logObjectKeys, predictionItems } from "../support/stored-data.ts";

const cli = useBuiltCli();
const write = useTempFiles();

let api: LocalApi;
beforeAll(async () => {
  Object.assign(process.env, inject("awsEnvironment"));
  api = await startLocalApi(0);
});
afterAll(async () => {
  await api?.close();
});

const createModel = (name: string) => createClassificationModel(api.url, name);

const send = (file: string, modelId: string, ...options: string[]) =>
  cli(["send", file, "--api", api.url, "--model", modelId, "--token", ADMIN_TOKEN, ...options]);

const byId = (records: readonly StoredRecord[]) => [...records].sort((a, b) => a.id.localeCompare(b.id));

/** A CSV of `rows` predictions with every mapped field, and the Records it must arrive as. */
function predictionLog(rows: number): { csv: string; records: StoredRecord[] } {
  const plans = ["free", "pro", "team, annual"];
  const lines = ["id,timestamp,age,income,plan,score,prediction,proba_0,proba_1,latencyMs,version"];
  const records: StoredRecord[] = [];
  for (let i = 0; i < rows; i++) {
    const id = `req-${String(i).padStart(5, "0")}`;
    const timestamp = new Date(Date.UTC(2026, 10, 1, 12, 0, 0, i)).toISOString();
    const income = Number((1000 + i * 1.25).toFixed(2));
    const plan = plans[i % 3] as string;
    const p1 = Number(((i % 100) / 100).toFixed(2));
    const p0 = Number((1 - p1).toFixed(2));
    const score = i % 7 === 0 ? null : i % 5;
    lines.push(
      [
        id,
        timestamp,
        20 + (i % 60),
        income,
        `"${plan}"`,
        score ?? "",
        p1 >= 0.5 ? 1 : 0,
        p0,
        p1,
        5 + (i % 40),
        "v3",
      ].join(","),
    );
    records.push({
      id,
      timestamp,
      features: { age: 20 + (i % 60), income, plan, score },
      prediction: p1 >= 0.5 ? 1 : 0,
      probabilities: { "0": p0, "1": p1 },
      latencyMs: 5 + (i % 40),
      version: "v3",
    });
  }
  return { csv: `${lines.join("\n")}\n`, records };
}

describe("driftwatch send", () => {
  const log = predictionLog(2500);
  const file = write("predictions.csv", log.csv);
  let modelId: string;

  it("sends a 2,500-row CSV in 3 batches, and the stored records equal the file's", async () => {
    modelId = await createModel("send");
    const result = await send(file, modelId);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(
        `^sent 2,500 of 2,500 rows to model ${modelId} in 3 batches: 2,500 accepted \\(0 duplicates, stored before\\), 0 rejected; \\d+\\.\\d s\\n$`,
      ),
    );
    expect(await logObjectKeys(modelId)).toHaveLength(3);
    expect(byId(await loggedRecords(modelId))).toEqual(log.records);
    expect(await predictionItems(modelId)).toHaveLength(2500);
  }, 120_000);

  it("stores nothing new when the same file is sent again: its ids are the API's idempotency keys", async () => {
    const result = await send(file, modelId);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "in 3 batches: 2,500 accepted (2,500 duplicates, stored before), 0 rejected",
    );
    expect(await logObjectKeys(modelId)).toHaveLength(3);
    expect(await predictionItems(modelId)).toHaveLength(2500);
  }, 120_000);
});

describe("driftwatch send with bad rows", () => {
  it("lists each bad row with its line, stores the good ones and exits 2", async () => {
    const modelId = await createModel("send-bad");
    const file = write(
      "bad-rows.csv",
      [
        "id,age,prediction,latencyMs,timestamp",
        "ok-1,30,1,5,",
        "bad-latency,31,0,-5,",
        'ok-2,"multi',
        'line",1,7,',
        "bad-ragged,33,1",
        "bad-time,34,0,3,2026-11-01 12:00",
        "bad-prediction,35,,3,",
        "ok-3,36,0,,2026-11-01T00:00:00Z",
      ].join("\n"),
    );
    const result = await send(file, modelId);
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split("\n")).toEqual([
      `driftwatch: ${file}: line 3: latencyMs: Too small: expected number to be >=0`,
      `driftwatch: ${file}: line 6: 3 fields where the header has 5`,
      `driftwatch: ${file}: line 7: timestamp: must be an ISO-8601 date-time with a time zone`,
      `driftwatch: ${file}: line 8: prediction: must be a finite number or a string`,
      `driftwatch: ${file}: 4 lines were not stored (listed above)`,
    ]);
    expect(result.stdout).toContain("sent 3 of 7 rows");
    expect(result.stdout).toContain("3 accepted (0 duplicates, stored before), 4 rejected");
    const stored = byId(await loggedRecords(modelId));
    expect(stored.map((record) => record.id)).toEqual(["ok-1", "ok-2", "ok-3"]);
    expect(stored[1]?.features).toEqual({ age: "multi\nline" });
    expect(stored[2]?.timestamp).toBe("2026-11-01T00:00:00Z");
  }, 60_000);

  it("stops at once on a bad token or an unknown model, with exit code 2 and nothing stored", async () => {
    const modelId = await createModel("send-refused");
    const file = write("refused.csv", "id,x,prediction\na,1,1\n");
    const [badToken, unknownModel] = await Promise.all([
      cli(["send", file, "--api", api.url, "--model", modelId, "--token", "dw_not_a_token"]),
      send(file, `${modelId}-missing`),
    ]);
    expect(badToken.code).toBe(2);
    expect(badToken.stderr).toMatch(
      /^driftwatch: the API refused the token \(401 Unauthorized: .*\); check --token\n$/,
    );
    expect(unknownModel.code).toBe(2);
    expect(unknownModel.stderr).toMatch(
      /^driftwatch: the API has no such model, or --api is not a DriftWatch API \(404 Not found: .*\); check --model and --api\n$/,
    );
    expect(await predictionItems(modelId)).toHaveLength(0);
  }, 60_000);
});

describe("driftwatch send over a failing network", () => {
  let proxy: Server;
  let hits = 0;
  beforeAll(async () => {
    // In front of the real API: the first request loses its connection, the next two answer 503 and
    // 429 with Retry-After: 0, every later one reaches the API.
    proxy = createServer(async (request, response) => {
      hits++;
      const body = await readAll(request);
      if (hits === 1) {
        request.socket.destroy();
        return;
      }
      if (hits === 2 || hits === 3) {
        const status = hits === 2 ? 503 : 429;
        response.writeHead(status, { "content-type": "application/problem+json", "retry-after": "0" });
        response.end(JSON.stringify({ type: "about:blank", title: "Try later", status, detail: "injected" }));
        return;
      }
      const upstream = await fetch(`${api.url}${request.url}`, {
        method: request.method,
        headers: {
          authorization: request.headers.authorization ?? "",
          "content-type": request.headers["content-type"] ?? "",
        },
        body,
      });
      response.writeHead(upstream.status, {
        "content-type": upstream.headers.get("content-type") ?? "text/plain",
      });
      response.end(await upstream.text());
    });
    proxy.listen(0, "127.0.0.1");
    await once(proxy, "listening");
  });
  afterAll(async () => {
    proxy?.closeAllConnections();
    await new Promise((resolve) => (proxy ? proxy.close(resolve) : resolve(undefined)));
  });

  it("retries a lost connection, a 503 and a 429, and every record arrives once", async () => {
    const modelId = await createModel("send-retry");
    const file = write(
      "retried.ndjson",
      [1, 2, 3, 4, 5]
        .map((i) => JSON.stringify({ id: `n${i}`, features: { x: i }, prediction: i % 2 }))
        .join("\n"),
    );
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const result = await cli([
      "send",
      file,
      "--api",
      proxyUrl,
      "--model",
      modelId,
      "--token",
      ADMIN_TOKEN,
      "--batch-size",
      "2",
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr.trimEnd().split("\n")).toEqual([
      expect.stringMatching(/^driftwatch: note: lines 1-2: network error \(.+\); retry 1 of 5 in \d\.\d s$/),
      "driftwatch: note: lines 1-2: 503 Try later: injected; retry 2 of 5 in 0.0 s",
      "driftwatch: note: lines 1-2: 429 Try later: injected; retry 3 of 5 in 0.0 s",
    ]);
    expect(hits).toBe(6);
    expect(result.stdout).toContain("sent 5 of 5 rows");
    expect(result.stdout).toContain("in 3 batches: 5 accepted (0 duplicates, stored before), 0 rejected");
    expect((await predictionItems(modelId)).map((item) => item.id).sort()).toEqual([
      "n1",
      "n2",
      "n3",
      "n4",
      "n5",
    ]);
  }, 60_000);
});

describe("driftwatch send of a Parquet file", () => {
  it("sends its rows, numbered by row", async () => {
    const modelId = await createModel("send-parquet");
    const file = write(
      "logs.parquet",
      parquetFile(
        [
          { name: "id", type: "string", values: ["p1", "p2", "p3"] },
          {
            name: "timestamp",
            type: "timestamp-millis",
            values: [BigInt(Date.UTC(2026, 10, 2)), null, null],
          },
          { name: "age", type: "double", values: [41.5, null, 7] },
          { name: "label", type: "string", values: ["yes", "no", null] },
        ],
        "ZSTD",
      ),
    );
    const result = await send(file, modelId, "--prediction-column", "label");
    expect(result.code).toBe(2);
    expect(result.stderr.split("\n")[0]).toBe(
      `driftwatch: ${file}: row 3: prediction: must be a finite number or a string`,
    );
    const stored = byId(await loggedRecords(modelId));
    expect(stored.map(({ id, features, prediction }) => ({ id, features, prediction }))).toEqual([
      { id: "p1", features: { age: 41.5 }, prediction: "yes" },
      { id: "p2", features: { age: null }, prediction: "no" },
    ]);
    expect(stored[0]?.timestamp).toBe("2026-11-02T00:00:00.000Z");
  }, 60_000);
});

async function readAll(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
