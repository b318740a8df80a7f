import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleRecord } from "../support/records.ts";
import { loggedRecords, predictionItems } from "../support/stored-data.ts";

interface RunningStart {
  child: ChildProcess;
  /** The "Name: value" lines npm start printed, by name. */
  printed: Record<string, string>;
}

/** `npm start`, exactly as a newcomer runs it (through tsx), on free ports, with the given flags. */
async function npmStart(flags: string[]): Promise<RunningStart> {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts", ...flags], {
    env: {
      ...process.env,
      PORT: "0",
      DRIFTWATCH_AWS_PORT: "0",
      DRIFTWATCH_DYNAMODB_PORT: "0",
      DRIFTWATCH_ADMIN_TOKEN: "e2e-admin",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.push(child);
  const printed: Record<string, string> = {};
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const stderr: string[] = [];
  child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`npm start printed no endpoints:\n${stderr.join("")}`)),
      90_000,
    );
    child.once("exit", (code) => reject(new Error(`npm start exited with ${code}:\n${stderr.join("")}`)));
    lines.on("line", (line) => {
      const separator = line.indexOf(": ");
      if (separator > 0) printed[line.slice(0, separator)] = line.slice(separator + 2);
      if (printed["AWS endpoint (DynamoDB)"]) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return { child, printed };
}

async function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  child.kill("SIGINT");
  const [code] = await once(child, "exit");
  return code as number | null;
}

const running: ChildProcess[] = [];
let dataDir: string;
let child: ChildProcess;
let printed: Record<string, string>;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "driftwatch-e2e-"));
  ({ child, printed } = await npmStart(["--fresh", "--data-dir", dataDir]));
  // The test process inspects the same emulators through the same SDK code the handlers use.
  Object.assign(process.env, {
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_ENDPOINT_URL: printed["AWS endpoint (S3/SNS/SQS)"],
    AWS_ENDPOINT_URL_DYNAMODB: printed["AWS endpoint (DynamoDB)"],
    DATA_BUCKET: "driftwatch-data",
    PREDICTIONS_TABLE: "driftwatch-predictions",
  });
}, 120_000);

afterAll(async () => {
  for (const process of running) await stop(process);
  rmSync(dataDir, { recursive: true, force: true });
});

const api = (path: string, init: { method: string; token?: string; body?: unknown }, base = printed) =>
  fetch(`${base["DriftWatch API"]}${path}`, {
    method: init.method,
    headers: {
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.body ? { "content-type": "application/json" } : {}),
    },
    body: init.body ? JSON.stringify(init.body) : undefined,
  });

describe("npm start", () => {
  it("prints the API URL, the admin token and both AWS endpoints on 127.0.0.1", () => {
    expect(printed["DriftWatch API"]).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(printed["Admin token"]).toBe("e2e-admin");
    expect(printed["AWS endpoint (S3/SNS/SQS)"]).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(printed["AWS endpoint (DynamoDB)"]).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("stores 1,000 records sent in batches plus a retried batch exactly once in S3 and DynamoDB", async () => {
    const modelId = "e2e-model";
    expect(
      (
        await api(`/v1/models/${modelId}`, {
          method: "PUT",
          token: "e2e-admin",
          body: { task: "classification" },
        })
      ).status,
    ).toBe(200);
    const tokenAnswer = await api(`/v1/models/${modelId}/tokens`, { method: "POST", token: "e2e-admin" });
    const { token } = (await tokenAnswer.json()) as { token: string };

    const records = Array.from({ length: 1000 }, (_, index) => sampleRecord(index));
    const batches = Array.from({ length: 10 }, (_, batch) => records.slice(batch * 100, batch * 100 + 100));
    for (const batch of [...batches, batches[3] as typeof records]) {
      const answer = await api(`/v1/models/${modelId}/predictions`, {
        method: "POST",
        token,
        body: { records: batch },
      });
      expect(answer.status).toBe(202);
    }

    const logged = await loggedRecords(modelId);
    expect(logged).toHaveLength(1000);
    expect(new Set(logged.map((record) => record.id)).size).toBe(1000);
    const byId = new Map(logged.map((record) => [record.id, record]));
    for (const record of records) expect(byId.get(record.id)).toEqual(record);

    const items = await predictionItems(modelId);
    expect(items).toHaveLength(1000);
    expect(new Set(items.map((item) => item.id))).toEqual(new Set(records.map((record) => record.id)));

    const { s3Client } = await import("#shared/aws/clients");
    const listing = await s3Client().send(
      new ListObjectsV2Command({ Bucket: "driftwatch-data", Prefix: `logs/model=${modelId}/` }),
    );
    expect(listing.Contents).toHaveLength(10);
  });

  it("stops every child process on Ctrl-C", async () => {
    expect(await stop(child)).toBe(0);
    const aws = await fetch(printed["AWS endpoint (S3/SNS/SQS)"] as string).catch((error: Error) => error);
    const dynamoDb = await fetch(printed["AWS endpoint (DynamoDB)"] as string).catch((error: Error) => error);
    expect(aws).toBeInstanceOf(Error);
    expect(dynamoDb).toBeInstanceOf(Error);
  });

  it("keeps models, tokens and logs across a restart without --fresh", async () => {
    const restarted = await npmStart(["--data-dir", dataDir]);
    const config = await api(
      "/v1/models/e2e-model",
      { method: "GET", token: "e2e-admin" },
      restarted.printed,
    );
    expect(config.status).toBe(200);
    const s3 = new S3Client({
      endpoint: restarted.printed["AWS endpoint (S3/SNS/SQS)"],
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      forcePathStyle: true,
    });
    const listing = await s3.send(
      new ListObjectsV2Command({ Bucket: "driftwatch-data", Prefix: "logs/model=e2e-model/" }),
    );
    expect(listing.Contents).toHaveLength(10);
    s3.destroy();
    expect(await stop(restarted.child)).toBe(0);
  }, 120_000);
});
