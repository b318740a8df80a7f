import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { baselineRegistrationQueue } from "#shared/aws/resources";
import { type LocalApi, startLocalApi } from "#shared/local/api-gateway";
import { type SqsEventSource, startSqsEventSource } from "#shared/local/sqs-event-source";
import { SYNC_REGISTRATION_BYTES_ENV } from "#shared/monitoring/baselines";
import {
  type BaselineMultipartUpload,
  type BaselineVersion,
  baselineMultipartUploadSchema,
} from "#shared/schemas/baseline";
import { MAX_UPLOAD_BYTES, SMALLEST_PART_BYTES } from "#shared/util/upload-parts";
import { useBuiltCli } from "../shared/cli/support/run-cli.ts";
import { useTempFiles } from "../shared/readers/support/temp-files.ts";
import { ADMIN_TOKEN, createClassificationModel } from "../support/local-api.ts";
import { Random } from "../support/random.ts";

const cli = useBuiltCli();
const write = useTempFiles();

let api: LocalApi;
/** The register-baseline worker on the registration queue, as the local runtime runs it. */
let registrations: SqsEventSource;
/** The CLI's TMPDIR, to see that it leaves no temporary file behind. */
let cliTemporary: string;
const callerTemporary = process.env.TMPDIR;
beforeAll(async () => {
  Object.assign(process.env, inject("awsEnvironment"));
  api = await startLocalApi(0);
  registrations = startSqsEventSource({
    queueUrl: process.env[baselineRegistrationQueue.envVar] as string,
    handler: "register-baseline",
  });
  cliTemporary = mkdtempSync(join(tmpdir(), "driftwatch-baseline-tmpdir-"));
  // The CLI runs as a child of this process, with its environment.
  process.env.TMPDIR = cliTemporary;
});
afterAll(async () => {
  if (callerTemporary === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = callerTemporary;
  rmSync(cliTemporary, { recursive: true, force: true });
  await registrations?.stop();
  await api?.close();
});

/** Runs `body` with uploads over `bytes` registered by the worker (the API runs in this process). */
async function withSyncLimit<T>(bytes: number, body: () => Promise<T>): Promise<T> {
  process.env[SYNC_REGISTRATION_BYTES_ENV] = String(bytes);
  try {
    return await body();
  } finally {
    delete process.env[SYNC_REGISTRATION_BYTES_ENV];
  }
}

const createModel = (name: string) => createClassificationModel(api.url, name);

interface BaselineList {
  current: BaselineVersion | null;
  versions: BaselineVersion[];
}

async function baselineOf(modelId: string): Promise<BaselineList> {
  const answer = await fetch(`${api.url}/v1/models/${modelId}/baseline`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  expect(answer.status).toBe(200);
  return (await answer.json()) as BaselineList;
}

const baseline = (file: string, modelId: string, ...options: string[]) =>
  cli(["baseline", file, "--api", api.url, "--model", modelId, "--token", ADMIN_TOKEN, ...options]);

/** A CSV of `rows` reference records with numeric, categorical and empty features and probabilities. */
function referenceCsv(rows: number): string {
  const plans = ["free", "pro", "team, annual"];
  const lines = ["id,age,income,plan,score,prediction,proba_0,proba_1"];
  for (let i = 0; i < rows; i++) {
    const p1 = (i % 100) / 100;
    lines.push(
      [
        `ref-${i}`,
        20 + (i % 60),
        (1000 + i * 1.25).toFixed(2),
        `"${plans[i % 3]}"`,
        i % 7 === 0 ? "" : i % 5,
        p1 >= 0.5 ? 1 : 0,
        (1 - p1).toFixed(2),
        p1.toFixed(2),
      ].join(","),
    );
  }
  return `${lines.join("\n")}\n`;
}

/**
 * A CSV of `rows` records of four uniform random features, printed to 17 digits: random digits that
 * gzip leaves at about 40 bytes a row, so 400,000 rows compress to about 16 MiB.
 */
function incompressibleCsv(rows: number): string {
  const random = new Random(20261201);
  const lines = ["id,x1,x2,x3,x4,prediction"];
  for (let i = 0; i < rows; i++) {
    lines.push(
      `ref-${i},${random.next()},${random.next()},${random.next()},${random.next()},${random.int(2)}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers
  body: any;
}

/** One call of a model's baseline API with the admin token and a JSON body. */
async function callBaseline(
  method: "POST" | "PUT",
  path: string,
  modelId: string,
  body: unknown,
): Promise<Answer> {
  const answer = await fetch(`${api.url}/v1/models/${modelId}/${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: answer.status, body: await answer.json() };
}

/** A multipart upload of `bytes`, checked against the answer's schema. */
async function startMultipartUpload(modelId: string, bytes: number): Promise<BaselineMultipartUpload> {
  const answer = await callBaseline("POST", "baseline/uploads", modelId, { bytes });
  expect(answer.status).toBe(201);
  return baselineMultipartUploadSchema.parse(answer.body);
}

/** PUTs `body` as part `partNumber` of the upload and returns the part's ETag. */
async function putPart(
  upload: BaselineMultipartUpload,
  partNumber: number,
  body: Uint8Array,
): Promise<string> {
  const url = upload.parts.find((part) => part.partNumber === partNumber)?.url as string;
  const answer = await fetch(url, { method: "PUT", body });
  expect(answer.status).toBe(200);
  return answer.headers.get("etag") as string;
}

const UPLOAD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("driftwatch baseline", () => {
  let modelId: string;

  it("stores a 5,000-row CSV as the model's baseline version 1, through an upload", async () => {
    modelId = await createModel("baseline");
    const file = write("reference.csv", referenceCsv(5000));
    const result = await baseline(file, modelId);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(
        `^baseline version 1 of model ${modelId}: 5,000 rows \\(${file}, \\d+\\.\\d kB, \\d+\\.\\d kB uploaded, \\d+\\.\\d s\\)\\n$`,
      ),
    );
    const { current, versions } = await baselineOf(modelId);
    expect(versions).toHaveLength(1);
    expect(current).toMatchObject({ version: 1, rows: 5000, createdBy: "admin" });
    expect(current?.source).toEqual({ type: "upload", uploadId: expect.stringMatching(UPLOAD_ID) });
    expect(readdirSync(cliTemporary)).toEqual([]);
  }, 120_000);

  it("stores a second upload as version 2 and keeps version 1", async () => {
    const file = write(
      "reference.ndjson",
      Array.from({ length: 300 }, (_, i) =>
        JSON.stringify({ features: { age: 30 + (i % 40), plan: "pro" }, prediction: i % 2, latencyMs: 8 }),
      ).join("\n"),
    );
    const result = await baseline(file, modelId);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^baseline version 2 of model ${modelId}: 300 rows \\(`));
    const { current, versions } = await baselineOf(modelId);
    expect(current).toMatchObject({ version: 2, rows: 300, source: { type: "upload" } });
    expect(versions.map((version) => [version.version, version.rows])).toEqual([
      [2, 300],
      [1, 5000],
    ]);
    expect(current?.source).not.toEqual(versions[1]?.source);
  }, 60_000);

  it("refuses a file with bad rows, naming their lines, and adds no version", async () => {
    const lines = referenceCsv(50).trimEnd().split("\n");
    lines[16] = "ref-bad-prediction,30,1000.00,free,1,,0.5,0.5";
    lines[33] = "ref-ragged,30,1000.00";
    const file = write("bad-reference.csv", `${lines.join("\n")}\n`);
    const result = await baseline(file, modelId);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.trimEnd().split("\n")).toEqual([
      `driftwatch: ${file}: line 17: prediction: must be a finite number or a string`,
      `driftwatch: ${file}: line 34: 3 fields where the header has 8`,
      `driftwatch: ${file}: 2 lines are not valid records (listed above); nothing was uploaded`,
    ]);
    expect((await baselineOf(modelId)).versions.map((version) => version.version)).toEqual([2, 1]);
    expect(readdirSync(cliTemporary)).toEqual([]);
  }, 60_000);

  it("stops with exit code 2 on an unknown model or a bad token", async () => {
    const file = write("small.csv", "x,prediction\n1,0\n2,1\n");
    const [unknownModel, badToken] = await Promise.all([
      baseline(file, `${modelId}-missing`),
      cli(["baseline", file, "--api", api.url, "--model", modelId, "--token", "dw_not_a_token"]),
    ]);
    expect(unknownModel.code).toBe(2);
    expect(unknownModel.stderr).toMatch(
      /^driftwatch: the API has no such model, or --api is not a DriftWatch API \(404 Not found: .*\); check --model and --api\n$/,
    );
    expect(badToken.code).toBe(2);
    expect(badToken.stderr).toMatch(
      /^driftwatch: the API refused the token \(401 Unauthorized: .*\); check --token\n$/,
    );
    expect((await baselineOf(modelId)).versions).toHaveLength(2);
    expect(readdirSync(cliTemporary)).toEqual([]);
  }, 60_000);

  it("uploads a file that compresses to more than the emulator takes in one request in parts, and stores every row", async () => {
    const partsModel = await createModel("baseline-parts");
    const file = write("large-reference.csv", incompressibleCsv(400_000));
    const result = await baseline(file, partsModel);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const uploaded = /, ([\d.]+) MB uploaded, /.exec(result.stdout)?.[1];
    // 11 MiB is 11.5 MB: the most fauxqs takes in one request body.
    expect(Number(uploaded)).toBeGreaterThan(11.6);
    expect(result.stdout).toMatch(new RegExp(`^baseline version 1 of model ${partsModel}: 400,000 rows \\(`));
    const { current } = await baselineOf(partsModel);
    expect(current).toMatchObject({ version: 1, rows: 400_000, source: { type: "upload" } });
    expect(readdirSync(cliTemporary)).toEqual([]);
  }, 120_000);
});

describe("a registration too large for the API call", () => {
  it("is answered 202 and registered by the worker; the CLI waits for it and prints the version", async () => {
    const modelId = await createModel("baseline-async-cli");
    const file = write("async-reference.csv", referenceCsv(3000));
    const result = await withSyncLimit(100, () => baseline(file, modelId));
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^baseline version 1 of model ${modelId}: 3,000 rows \\(`));
    const { current } = await baselineOf(modelId);
    expect(current).toMatchObject({ version: 1, rows: 3000, source: { type: "upload" } });
    const uploadId = current?.source.type === "upload" ? current.source.uploadId : "";
    const status = await fetch(`${api.url}/v1/models/${modelId}/baseline/uploads/${uploadId}`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(await status.json()).toEqual({ uploadId, status: "registered", version: 1, rows: 3000 });
  }, 120_000);

  it("ends failed with the upload's line errors, and stores nothing", async () => {
    const modelId = await createModel("baseline-async-bad");
    const lines = Array.from({ length: 30 }, (_, i) =>
      JSON.stringify({ features: { x: i }, prediction: i % 2 }),
    );
    lines[11] = JSON.stringify({ features: { x: 1 }, prediction: null });
    const upload = await startMultipartUpload(modelId, 1000);
    const etag = await putPart(upload, 1, gzipSync(`${lines.join("\n")}\n`));
    const accepted = await withSyncLimit(100, () =>
      callBaseline("PUT", "baseline", modelId, {
        upload: {
          id: upload.uploadId,
          multipartUploadId: upload.multipartUploadId,
          parts: [{ partNumber: 1, etag }],
        },
      }),
    );
    expect(accepted).toEqual({ status: 202, body: { status: "registering", uploadId: upload.uploadId } });
    let status: Answer = { status: 0, body: undefined };
    for (let attempt = 0; attempt < 100 && status.body?.status !== "failed"; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const answer = await fetch(`${api.url}/v1/models/${modelId}/baseline/uploads/${upload.uploadId}`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      status = { status: answer.status, body: await answer.json() };
    }
    expect(status.body).toMatchObject({
      status: "failed",
      error: { errors: [{ path: "line 12: prediction" }] },
    });
    expect((await baselineOf(modelId)).versions).toEqual([]);
  }, 60_000);
});

describe("the multipart upload API", () => {
  const records = gzipSync(
    Array.from(
      { length: 50 },
      (_, i) =>
        `${JSON.stringify({ features: { age: 20 + i, plan: i % 2 ? "pro" : "free" }, prediction: i % 2 })}\n`,
    ).join(""),
  );

  it("is needed locally: the emulator takes no request body over 11 MiB, so no larger single PUT", async () => {
    const modelId = await createModel("baseline-single");
    const answer = await fetch(`${api.url}/v1/models/${modelId}/baseline/uploads`, {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(answer.status).toBe(201);
    const { url, headers } = (await answer.json()) as { url: string; headers: Record<string, string> };
    // The emulator answers 413, or closes the connection while the body is still being sent.
    const refusal = await fetch(url, {
      method: "PUT",
      headers,
      body: new Uint8Array(11 * 1024 ** 2 + 1),
    }).then(
      (put) => put.status,
      (error: Error & { cause?: { code?: string } }) => error.cause?.code,
    );
    expect([413, "EPIPE", "ECONNRESET"]).toContain(refusal);
  });

  it("cuts an upload into parts of 8 MiB, and refuses a size it cannot take, naming bytes", async () => {
    const modelId = await createModel("baseline-bytes");
    const upload = await startMultipartUpload(modelId, 2 * SMALLEST_PART_BYTES + 1);
    expect(upload.partSize).toBe(SMALLEST_PART_BYTES);
    expect(upload.parts.map((part) => part.partNumber)).toEqual([1, 2, 3]);
    expect(upload.uploadId).toMatch(UPLOAD_ID);
    expect((await fetch(upload.abort.url, { method: upload.abort.method })).status).toBe(204);

    const refusals = await Promise.all(
      [0, -5, 2.5, "1000", null, MAX_UPLOAD_BYTES + 1].map((bytes) =>
        callBaseline("POST", "baseline/uploads", modelId, { bytes }),
      ),
    );
    for (const refusal of refusals) {
      expect(refusal.status).toBe(400);
      expect(refusal.body.errors.map((error: { path: string }) => error.path)).toEqual(["bytes"]);
    }
    expect(refusals.at(-1)?.body.errors[0].message).toBe(
      "must be at most 4,294,967,296,000: 1,000 parts of 4 GiB",
    );
  });

  it("completes an upload from its parts, refusing a bad part list naming upload.parts", async () => {
    const modelId = await createModel("baseline-complete");
    const upload = await startMultipartUpload(modelId, records.length);
    expect(upload.parts).toHaveLength(1);
    const etag = await putPart(upload, 1, records);
    const register = (reference: Record<string, unknown>) =>
      callBaseline("PUT", "baseline", modelId, { upload: { id: upload.uploadId, ...reference } });
    const { multipartUploadId } = upload;

    const refusals = await Promise.all([
      register({ multipartUploadId, parts: [{ partNumber: 1, etag: '"0123456789abcdef0123456789abcdef"' }] }),
      register({ multipartUploadId, parts: [{ partNumber: 2, etag }] }),
      register({ multipartUploadId, parts: [] }),
      register({ parts: [{ partNumber: 1, etag }] }),
    ]);
    expect(refusals.map((refusal) => refusal.status)).toEqual([400, 400, 400, 400]);
    expect(refusals.map((refusal) => refusal.body.errors[0].path)).toEqual([
      "upload.parts",
      "upload.parts",
      "upload.parts",
      "upload.multipartUploadId",
    ]);
    expect(refusals[0]?.body.errors[0].message).toMatch(/^InvalidPart: /);
    expect(refusals[1]?.body.errors[0].message).toBe(
      "must list parts 1 to 1 in order, each once; found part 2 where part 1 belongs",
    );
    expect((await baselineOf(modelId)).versions).toEqual([]);

    const registered = await register({ multipartUploadId, parts: [{ partNumber: 1, etag }] });
    expect(registered).toEqual({ status: 200, body: { version: 1, rows: 50 } });
    // The multipart upload is complete and its object deleted: only the stored version can answer.
    const again = await register({ multipartUploadId, parts: [{ partNumber: 1, etag }] });
    expect(again).toEqual({ status: 200, body: { version: 1, rows: 50 } });
    expect((await baselineOf(modelId)).versions).toHaveLength(1);
  });

  it("refuses to register an aborted upload, naming upload.multipartUploadId", async () => {
    const modelId = await createModel("baseline-aborted");
    const upload = await startMultipartUpload(modelId, records.length);
    const etag = await putPart(upload, 1, records);
    expect((await fetch(upload.abort.url, { method: "DELETE" })).status).toBe(204);
    const answer = await callBaseline("PUT", "baseline", modelId, {
      upload: {
        id: upload.uploadId,
        multipartUploadId: upload.multipartUploadId,
        parts: [{ partNumber: 1, etag }],
      },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.errors.map((error: { path: string }) => error.path)).toEqual([
      "upload.multipartUploadId",
    ]);
    expect((await baselineOf(modelId)).versions).toEqual([]);
  });
});
