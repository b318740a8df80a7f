import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { flightsParquetPath } from "#shared/local/demo/flights";
import { useTempFiles } from "../readers/support/temp-files.ts";
import { useBuiltCli } from "./support/run-cli.ts";

const cli = useBuiltCli();
const write = useTempFiles();
const good = write("good.csv", "a,b\n1,x\n2,y\n");

/** Runs compare and returns its exit code and its stderr, which must be a single line (stdout empty). */
async function failure(...args: string[]): Promise<{ code: number; line: string }> {
  const result = await cli(["compare", ...args]);
  expect(result.stdout).toBe("");
  const lines = result.stderr.trimEnd().split("\n");
  expect(lines, result.stderr).toHaveLength(1);
  return { code: result.code, line: lines[0] as string };
}

describe("driftwatch compare on bad input", () => {
  it("names a missing file, an empty file and an unknown file type, with exit code 2", async () => {
    const missing = good.replace("good.csv", "missing.csv");
    const empty = write("empty.csv", "");
    const text = write("data.txt", "a\n1\n");
    const results = await Promise.all([
      failure("--reference", missing, "--current", good),
      failure("--reference", good, "--current", empty),
      failure("--reference", text, "--current", good),
    ]);
    expect(results).toEqual([
      { code: 2, line: `driftwatch: ${missing}: no such file` },
      { code: 2, line: `driftwatch: ${empty}: the file is empty` },
      {
        code: 2,
        line: `driftwatch: ${text}: unknown file type ".txt"; expected .csv, .ndjson, .jsonl, .parquet`,
      },
    ]);
  });

  it("names the line of a ragged CSV row and of a nested NDJSON value", async () => {
    const ragged = write("ragged.csv", "a,b\n1,x\n2,y,extra\n");
    const nested = write("nested.ndjson", '{"a":1,"b":"x"}\n{"a":{"deep":1},"b":"y"}\n');
    const results = await Promise.all([
      failure("--reference", good, "--current", ragged),
      failure("--reference", nested, "--current", good),
    ]);
    expect(results).toEqual([
      { code: 2, line: `driftwatch: ${ragged}: line 3: 3 fields where the header has 2` },
      {
        code: 2,
        line: `driftwatch: ${nested}: line 2: "a" holds a nested object; each line must be a flat object of numbers, strings, booleans and nulls`,
      },
    ]);
  });

  it("rejects files without a shared column and an unreadable Parquet file", async () => {
    const other = write("other.csv", "c,d\n1,2\n");
    const truncated = write("truncated.parquet", readFileSync(flightsParquetPath()).subarray(0, 50_000));
    const [disjoint, parquet] = await Promise.all([
      failure("--reference", good, "--current", other),
      failure("--reference", truncated, "--current", good),
    ]);
    expect(disjoint).toEqual({ code: 2, line: `driftwatch: ${other}: no column in common with ${good}` });
    expect(parquet.code).toBe(2);
    expect(parquet.line).toMatch(
      new RegExp(`^driftwatch: ${truncated}: not a readable Parquet file \\(.+\\)$`),
    );
  });

  it("rejects an unknown --categorical column, an invalid --model and an unwritable --out", async () => {
    const unwritable = `${good}/report.json`;
    const results = await Promise.all([
      failure("--reference", good, "--current", good, "--categorical", "a,nope"),
      failure("--reference", good, "--current", good, "--model", "../etc"),
      failure("--reference", good, "--current", good, "--out", unwritable),
    ]);
    expect(results).toEqual([
      { code: 2, line: 'driftwatch: --categorical: no column "nope" in either file' },
      { code: 2, line: "driftwatch: --model: must be 1 to 64 of A-Z a-z 0-9 _ . - and not start with '.'" },
      { code: 2, line: `driftwatch: ${unwritable}: cannot write the report (ENOTDIR)` },
    ]);
  });

  it("exits 2 on a usage error: an unknown format or a missing --current", async () => {
    const [format, missing] = await Promise.all([
      failure("--reference", good, "--current", good, "--format", "xml"),
      failure("--reference", good),
    ]);
    expect(format).toEqual({
      code: 2,
      line: "error: option '--format <format>' argument 'xml' is invalid. Allowed choices are json, table, html.",
    });
    expect(missing).toEqual({ code: 2, line: "error: required option '--current <file>' not specified" });
  });
});
