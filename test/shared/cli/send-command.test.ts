import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { beforeAll, describe, expect, it } from "vitest";
import { useTempFiles } from "../readers/support/temp-files.ts";
import { useBuiltCli } from "./support/run-cli.ts";

const cli = useBuiltCli();
const write = useTempFiles();
const good = write("good.csv", "id,x,prediction\na,1,1\n");

/** A 127.0.0.1 port nothing listens on: one the OS just handed out and took back. */
let closedPort = 0;
beforeAll(async () => {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  closedPort = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
});

const send = (...args: string[]) =>
  cli(["send", "--api", `http://127.0.0.1:${closedPort}`, "--model", "churn", "--token", "t", ...args]);

describe("driftwatch send", () => {
  it("documents the row mapping, the retries and the exit codes in --help", async () => {
    const result = await cli(["send", "--help"]);
    expect(result.code).toBe(0);
    for (const text of [
      "Usage: driftwatch send [options] <file>",
      "--batch-size <n>",
      "--prediction-column <name>",
      "--id-column <name>",
      "proba_<label>",
      "every other column",
      "honouring Retry-After",
      "(env: DRIFTWATCH_TOKEN)",
      "Exit codes: 0",
    ]) {
      expect(result.stdout).toContain(text);
    }
  });

  it("refuses bad options and a file without its prediction column before sending anything", async () => {
    const noPrediction = write("no-prediction.csv", "a,b\n1,2\n");
    const results = await Promise.all([
      send(noPrediction),
      send(good, "--batch-size", "1001"),
      send(good, "--model", "../etc"),
      cli(["send", good, "--api", "ftp://example.com", "--model", "m", "--token", "t"]),
      cli(["send", good, "--api", "http://127.0.0.1:1", "--model", "m"]),
    ]);
    expect(results.map((result) => result.code)).toEqual([2, 2, 2, 2, 2]);
    expect(results.map((result) => result.stdout)).toEqual(["", "", "", "", ""]);
    expect(results.map((result) => result.stderr.trimEnd())).toEqual([
      `driftwatch: ${noPrediction}: no column "prediction" for the prediction; name yours with --prediction-column`,
      "error: option '--batch-size <n>' argument '1001' is invalid. must be a whole number from 1 to 1000.",
      "driftwatch: --model: must be 1 to 64 of A-Z a-z 0-9 _ . - and not start with '.'",
      'driftwatch: --api: not an http or https URL: "ftp://example.com"',
      "error: required option '--token <token>' not specified",
    ]);
  });

  it("takes the API and the token from the environment", async () => {
    // The child inherits this process's environment.
    Object.assign(process.env, { DRIFTWATCH_API: `http://127.0.0.1:${closedPort}`, DRIFTWATCH_TOKEN: "t" });
    const result = await cli(["send", good, "--model", "churn", "--retries", "0"]).finally(() => {
      delete process.env.DRIFTWATCH_API;
      delete process.env.DRIFTWATCH_TOKEN;
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "driftwatch: gave up on line 2 after 1 attempt: network error (ECONNREFUSED)\n",
    );
  });

  it("exits 1 when the API cannot be reached after the retries", async () => {
    const result = await send(good, "--retries", "1");
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr.trimEnd().split("\n")).toEqual([
      expect.stringMatching(
        /^driftwatch: note: line 2: network error \(ECONNREFUSED\); retry 1 of 1 in 0\.\d s$/,
      ),
      "driftwatch: gave up on line 2 after 2 attempts: network error (ECONNREFUSED)",
    ]);
  });
});
