import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { driftReportSchema } from "#shared/schemas/drift-report";
import { parquetFile } from "../readers/support/parquet-writer.ts";
import { useTempFiles } from "../readers/support/temp-files.ts";
import { useBuiltCli } from "./support/run-cli.ts";
import { sampleCsv, seededNormals } from "./support/samples.ts";

const cli = useBuiltCli();
const write = useTempFiles();
const reference = write("reference.csv", sampleCsv(2000, 1, 0));
const shifted = write("shifted.csv", sampleCsv(2000, 2, 1));
const same = write("same.csv", sampleCsv(2000, 3, 0));
const compare = (current: string, ...options: string[]) =>
  cli(["compare", "--reference", reference, "--current", current, ...options]);

describe("driftwatch compare", () => {
  it("prints the CONTRACT §4 report as JSON, flags the shifted feature and exits 0", async () => {
    const result = await compare(shifted);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    const report = driftReportSchema.parse(JSON.parse(result.stdout));
    expect(report.reference.rows).toBe(2000);
    expect(report.current.rows).toBe(2000);
    expect(Object.keys(report.features)).toEqual(["x", "city", "level"]);
    expect(report.features.x?.type).toBe("numeric");
    expect(report.features.city?.type).toBe("categorical");
    expect(report.drifted).toBe(true);
    expect(report.driftedFeatures).toEqual(["x"]);
  });

  it("exits 1 with --fail-on-drift only when drift is found", async () => {
    const [drift, noDrift] = await Promise.all([
      compare(shifted, "--fail-on-drift"),
      compare(same, "--fail-on-drift"),
    ]);
    expect(drift.code).toBe(1);
    expect(JSON.parse(drift.stdout).drifted).toBe(true);
    expect(noDrift.code).toBe(0);
    expect(JSON.parse(noDrift.stdout).drifted).toBe(false);
  });

  it("prints a terminal table with one row per feature and a summary line", async () => {
    const result = await compare(shifted, "--format", "table");
    expect(result.code).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toBe("reference: 2,000 rows, current: 2,000 rows");
    expect(lines[2]?.split(/\s+/)).toEqual([
      "feature",
      "type",
      "method",
      "statistic",
      "p-value",
      "threshold",
      "drifted",
      "severity",
    ]);
    const row = (name: string) => lines.find((line) => line.startsWith(`${name} `))?.split(/\s+/);
    expect(row("x")?.slice(0, 2)).toEqual(["x", "numeric"]);
    expect(row("x")?.[6]).toBe("yes");
    expect(row("city")?.[6]).toBe("no");
    const verdict = lines.findIndex((line) => line.startsWith("DRIFT: 1 of 3 features drifted (x)"));
    expect(verdict).toBeGreaterThan(0);
    // How the verdict was reached (the engine's decision description) follows on its own line.
    expect(lines[verdict + 1]?.length).toBeGreaterThan(20);
  });

  it("writes a self-contained HTML page with a histogram per feature to --out", async () => {
    const out = write("report.html", "");
    const result = await compare(shifted, "--format", "html", "--out", out);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("");
    const html = readFileSync(out, "utf8");
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html.match(/<svg /g)).toHaveLength(3);
    expect(html).toContain("<style>");
    for (const name of ["x", "city", "level"]) expect(html).toContain(`<h2>${name}</h2>`);
    // No script and nothing fetched: the only URL is the SVG namespace.
    expect(html).not.toMatch(/<script|<link|src=/i);
    expect(html.match(/https?:\/\/[^"\s]*/g)?.every((url) => url === "http://www.w3.org/2000/svg")).toBe(
      true,
    );
  });

  it("writes JSON to --out and reads a column as categorical with --categorical", async () => {
    const out = write("report.json", "");
    const result = await compare(same, "--categorical", "level", "--out", out);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("");
    const report = driftReportSchema.parse(JSON.parse(readFileSync(out, "utf8")));
    expect(report.features.level?.type).toBe("categorical");
    expect(report.features.x?.type).toBe("numeric");
  });

  it("compares a Parquet reference with an NDJSON current sample", async () => {
    const normal = seededNormals(9);
    const values = Array.from({ length: 500 }, () => normal());
    const parquet = write(
      "reference.parquet",
      parquetFile(
        [
          { name: "x", type: "double", values },
          { name: "label", type: "string", values: values.map((v) => (v > 0 ? "up" : "down")) },
        ],
        "SNAPPY",
      ),
    );
    const ndjson = write(
      "current.ndjson",
      values.map((v) => JSON.stringify({ x: v + 2, label: v > 0 ? "up" : "down" })).join("\n"),
    );
    const result = await cli(["compare", "--reference", parquet, "--current", ndjson]);
    expect(result.code).toBe(0);
    const report = driftReportSchema.parse(JSON.parse(result.stdout));
    expect(report.features.label?.type).toBe("categorical");
    expect(report.driftedFeatures).toEqual(["x"]);
  });

  it("compares as categories a column that is numeric in one file only, and notes unshared columns", async () => {
    const numericZip = write("zip-ref.csv", `zip,only_ref\n${"75001,1\n69001,2\n".repeat(50)}`);
    const textZip = write("zip-cur.csv", `zip,only_cur\n${"75001,1\n2A004,2\n".repeat(50)}`);
    const result = await cli(["compare", "--reference", numericZip, "--current", textZip]);
    expect(result.code).toBe(0);
    const report = driftReportSchema.parse(JSON.parse(result.stdout));
    expect(Object.keys(report.features)).toEqual(["zip"]);
    expect(report.decision.unsharedColumns).toEqual({
      referenceOnly: ["only_ref"],
      currentOnly: ["only_cur"],
    });
    expect(report.features.zip?.type).toBe("categorical");
    expect(report.features.zip?.newCategories?.values).toEqual(["2A004"]);
    expect(result.stderr.trim().split("\n")).toEqual([
      `driftwatch: note: ${numericZip}: not in the other file, not compared: only_ref`,
      `driftwatch: note: ${textZip}: not in the other file, not compared: only_cur`,
    ]);
  });
});
