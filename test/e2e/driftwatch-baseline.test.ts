import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type LocalApi, startLocalApi } from "#shared/local/api-gateway";
import type { BaselineVersion } from "#shared/schemas/baseline";
import { useBuiltCli } from "../shared/cli/support/run-cli.ts";
import { useTempFiles } from "../shared/readers/support/temp-files.ts";
import { ADMIN_TOKEN } from "../support/local-api.ts";
import { uniqueModelId } from "../support/stored-data.ts";

const cli = useBuiltCli();
const write = useTempFiles();

let api: LocalApi;
/** The CLI's TMPDIR, to see that it leaves no temporary file behind. */
let cliTemporary: string;
const callerTemporary = process.env.TMPDIR;
beforeAll(async () => {
  Object.assign(process.env, inject("awsEnvironment"));
  api = await startLocalApi(0);
  cliTemporary = mkdtempSync(join(tmpdir(), "driftwatch-baseline-tmpdir-"));
  // The CLI runs as a child of this process, with its environment.
  process.env.TMPDIR = cliTemporary;
});
afterAll(async () => {
  if (callerTemporary === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = callerTemporary;
  rmSync(cliTemporary, { recursive: true, force: true });
  await api?.close();
});

async function createModel(name: string): Promise<string> {
  const modelId = uniqueModelId(name);
  const answer = await fetch(`${api.url}/v1/models/${modelId}`, {
    method: "PUT",
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ task: "classification" }),
  });
  expect(answer.status).toBe(200);
  return modelId;
}

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
});
