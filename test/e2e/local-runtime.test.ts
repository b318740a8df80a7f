import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../support/browser.ts";
import { sampleRecord } from "../support/records.ts";
import { loggedRecords, predictionItems } from "../support/stored-data.ts";

interface RunningStart {
  child: ChildProcess;
  /** The "Name: value" lines npm start printed, by name. */
  printed: Record<string, string>;
  /** Everything it wrote to stdout and stderr so far. */
  output: () => string;
}

/**
 * `npm start`, exactly as a newcomer runs it (through tsx), on free ports, with the given flags;
 * `env` adds to or, with undefined, removes from the environment it runs in.
 */
async function npmStart(flags: string[], env: NodeJS.ProcessEnv = {}): Promise<RunningStart> {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts", ...flags], {
    env: {
      ...process.env,
      PORT: "0",
      DRIFTWATCH_AWS_PORT: "0",
      DRIFTWATCH_DYNAMODB_PORT: "0",
      DRIFTWATCH_ADMIN_TOKEN: "e2e-admin",
      // A newcomer has not silenced the SDK's Node-version warning; npm start must do it itself.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: undefined,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.push(child);
  const printed: Record<string, string> = {};
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const stderr: string[] = [];
  const output: string[] = [];
  child.stdout?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr.push(chunk.toString());
    output.push(chunk.toString());
  });
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
  return { child, printed, output: () => output.join("") };
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
let output: () => string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "driftwatch-e2e-"));
  ({ child, printed, output } = await npmStart(["--fresh", "--data-dir", dataDir]));
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

  it("writes no token file when DRIFTWATCH_ADMIN_TOKEN gives the admin token", () => {
    expect(existsSync(join(dataDir, "admin-token"))).toBe(false);
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

  it("rejects a record with an unknown field, naming the field", async () => {
    const answer = await api("/v1/models/e2e-model/predictions", {
      method: "POST",
      token: "e2e-admin",
      body: { ...sampleRecord(0), latency: 12 },
    });
    expect(answer.status).toBe(400);
    const problem = (await answer.json()) as { errors: Array<{ path: string }> };
    expect(problem.errors.map((error) => error.path)).toEqual(["latency"]);
  });

  it("serves the dashboard, which signs in and lists the models", async () => {
    expect(printed.Dashboard).toBe(`${printed["DriftWatch API"]}/dashboard/`);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(printed.Dashboard as string);
      await page.getByLabel("API token").fill("e2e-admin");
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect
        .poll(() => page.getByRole("link", { name: "e2e-model" }).count(), { timeout: 15_000 })
        .toBe(1);
    } finally {
      await browser.close();
    }
  });

  it("stops every child process on Ctrl-C", async () => {
    expect(await stop(child)).toBe(0);
    const aws = await fetch(printed["AWS endpoint (S3/SNS/SQS)"] as string).catch((error: Error) => error);
    const dynamoDb = await fetch(printed["AWS endpoint (DynamoDB)"] as string).catch((error: Error) => error);
    expect(aws).toBeInstanceOf(Error);
    expect(dynamoDb).toBeInstanceOf(Error);
  });

  // The run above is over, so its output is complete: it served accepted and rejected requests.
  it("printed no Node-version warning from the AWS SDK (the README recommends Node 22)", () => {
    expect(output()).toContain("Data persists in");
    expect(output()).not.toContain("NodeVersionSupportWarning");
  });

  it("printed no empty-metrics warning after a rejected request", () => {
    expect(output()).not.toContain("No application metrics to publish");
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

describe("the admin token npm start generates", () => {
  let tokenDataDir: string;
  let savedToken: string;
  const withoutAdminToken = { DRIFTWATCH_ADMIN_TOKEN: undefined };
  const tokenFile = () => join(tokenDataDir, "admin-token");

  beforeAll(() => {
    tokenDataDir = mkdtempSync(join(tmpdir(), "driftwatch-e2e-token-"));
  });

  afterAll(() => {
    rmSync(tokenDataDir, { recursive: true, force: true });
  });

  it("is kept in the data dir, readable by its owner alone", async () => {
    const started = await npmStart(["--data-dir", tokenDataDir], withoutAdminToken);
    savedToken = started.printed["Admin token"] as string;
    expect(savedToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(readFileSync(tokenFile(), "utf8").trim()).toBe(savedToken);
    expect(statSync(tokenFile()).mode & 0o777).toBe(0o600);
    expect(await stop(started.child)).toBe(0);
  }, 120_000);

  it("is the same after a restart with the same data dir, and the API accepts it", async () => {
    const restarted = await npmStart(["--data-dir", tokenDataDir], withoutAdminToken);
    expect(restarted.printed["Admin token"]).toBe(savedToken);
    const answer = await api(
      "/v1/models/never-created",
      { method: "GET", token: savedToken },
      restarted.printed,
    );
    expect(answer.status).toBe(404);
    expect(await stop(restarted.child)).toBe(0);
  }, 120_000);

  it("gives way to DRIFTWATCH_ADMIN_TOKEN, which is not written to disk", async () => {
    const started = await npmStart(["--data-dir", tokenDataDir], { DRIFTWATCH_ADMIN_TOKEN: "e2e-override" });
    expect(started.printed["Admin token"]).toBe("e2e-override");
    expect(readFileSync(tokenFile(), "utf8").trim()).toBe(savedToken);
    expect(await stop(started.child)).toBe(0);
  }, 120_000);

  it("is new after --fresh wipes the data dir", async () => {
    const fresh = await npmStart(["--fresh", "--data-dir", tokenDataDir], withoutAdminToken);
    const newToken = fresh.printed["Admin token"] as string;
    expect(newToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(newToken).not.toBe(savedToken);
    expect(readFileSync(tokenFile(), "utf8").trim()).toBe(newToken);
    expect(await stop(fresh.child)).toBe(0);
  }, 120_000);
});
