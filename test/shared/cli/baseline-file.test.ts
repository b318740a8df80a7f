import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { type BaselineFileTally, writeBaselineFile } from "#shared/cli/baseline-file";
import { InputFileError } from "#shared/readers/input-file-error";
import type { RecordRow } from "#shared/readers/record-rows";

const folder = mkdtempSync(join(tmpdir(), "driftwatch-test-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
let files = 0;
const outputPath = () => join(folder, `records-${files++}.ndjson.gz`);

async function* toAsync(rows: RecordRow[]): AsyncGenerator<RecordRow> {
  yield* rows;
}

const good = (line: number, overrides: Record<string, unknown> = {}): RecordRow => ({
  line,
  row: { features: { x: line, plan: "pro" }, prediction: line % 2, ...overrides },
});

const ndjsonLines = (path: string) => gunzipSync(readFileSync(path)).toString("utf8").split("\n");

async function run(rows: RecordRow[], maxBytes?: number) {
  const path = outputPath();
  const rejected: Array<[number, string[]]> = [];
  const reports: BaselineFileTally[] = [];
  const outcome = await writeBaselineFile(toAsync(rows), path, {
    file: "reference.csv",
    onRejected: (line, problems) => rejected.push([line, problems]),
    onProgress: (tally) => reports.push({ ...tally }),
    maxBytes,
  }).then(
    (tally) => ({ tally, error: undefined }),
    (error: unknown) => ({ tally: undefined, error }),
  );
  return { path, rejected, reports, ...outcome };
}

describe("writeBaselineFile", () => {
  it("writes each row as the Record the API takes, one JSON line each, gzip-compressed", async () => {
    const rows = Array.from({ length: 2500 }, (_, index) => good(index + 2));
    rows.push(good(2502, { probabilities: { "0": 0.25, "1": 0.75 }, latencyMs: 12, id: "last" }));
    const { path, tally, rejected } = await run(rows);
    expect(rejected).toEqual([]);
    const lines = ndjsonLines(path);
    expect(lines.pop()).toBe("");
    expect(lines).toHaveLength(2501);
    expect(JSON.parse(lines[0] as string)).toEqual({ features: { x: 2, plan: "pro" }, prediction: 0 });
    expect(JSON.parse(lines[2500] as string)).toEqual({
      id: "last",
      features: { x: 2502, plan: "pro" },
      prediction: 0,
      probabilities: { "0": 0.25, "1": 0.75 },
      latencyMs: 12,
    });
    expect(tally).toEqual({ rows: 2501, rejected: 0, bytes: statSync(path).size });
  });

  it("lists every bad row with its line and problems, reading on after the first", async () => {
    const { tally, rejected } = await run([
      good(2),
      { line: 3, problem: "3 fields where the header has 2" },
      good(4),
      good(5, { latencyMs: -1, features: { age: [1] } }),
      good(6),
    ]);
    expect(rejected).toEqual([
      [3, ["3 fields where the header has 2"]],
      [
        5,
        [
          "features.age: feature value must be a finite number, a string, a boolean or null",
          expect.stringMatching(/^latencyMs: /),
        ],
      ],
    ]);
    expect(tally).toMatchObject({ rows: 5, rejected: 2 });
  });

  it("reports progress every 1,000 rows and at the end", async () => {
    const { reports } = await run(Array.from({ length: 2300 }, (_, index) => good(index + 2)));
    expect(reports.map((report) => report.rows)).toEqual([1000, 2000, 2300]);
    expect(reports.at(-1)?.bytes).toBeGreaterThan(0);
  });

  it("refuses records that take more than the limit compressed, naming the limit", async () => {
    // Random text does not compress: 200 rows of 1 kB pass a 50 kB limit.
    const rows = Array.from({ length: 200 }, (_, index) =>
      good(index + 2, { features: { text: randomBytes(512).toString("hex") } }),
    );
    const { error } = await run(rows, 50_000);
    expect(error).toBeInstanceOf(InputFileError);
    expect((error as Error).message).toBe(
      "reference.csv: its records take more than 50.0 kB compressed, the most one upload may hold " +
        "(1,000 parts); set the baseline from a sample of the file",
    );
  });

  it("stops reading as soon as the limit is passed", async () => {
    let read = 0;
    async function* endless(): AsyncGenerator<RecordRow> {
      for (;;) {
        read++;
        yield good(read + 1, { features: { text: randomBytes(512).toString("hex") } });
      }
    }
    const error = await writeBaselineFile(endless(), outputPath(), {
      file: "endless.csv",
      onRejected: () => {},
      maxBytes: 100_000,
    }).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(InputFileError);
    expect(read).toBeLessThan(1000);
  });
});
