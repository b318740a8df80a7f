import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { flightsParquetPath } from "#shared/local/demo/flights";
import { readParquet } from "#shared/readers/read-parquet";
import { categories, numbers } from "./support/columns.ts";
import { type FixtureColumn, type ParquetCodec, parquetFile } from "./support/parquet-writer.ts";

const FIXTURE: FixtureColumn[] = [
  { name: "score", type: "double", values: [0.5, null, -2.25, 1e-9] },
  { name: "count", type: "int64", values: [3n, 9007199254740993n, null, -1n] },
  { name: "seen", type: "timestamp-millis", values: [1_700_000_000_000n, null, 0n, 1n] },
  { name: "city", type: "string", values: ["Zürich", "Lyon", null, "Lyon"] },
  { name: "active", type: "boolean", values: [true, false, null, true] },
];

describe("readParquet", () => {
  it.each<ParquetCodec>(["UNCOMPRESSED", "SNAPPY", "GZIP", "ZSTD"])(
    "reads every column type of a %s file, nulls as missing",
    async (codec) => {
      const dataset = await readParquet(parquetFile(FIXTURE, codec), "fixture.parquet", new Set());
      expect(dataset.rows).toBe(4);
      expect([...dataset.columns.keys()]).toEqual(["score", "count", "seen", "city", "active"]);
      expect(numbers(dataset, "score")).toEqual([0.5, Number.NaN, -2.25, 1e-9]);
      expect(numbers(dataset, "count")).toEqual([3, 9007199254740992, Number.NaN, -1]);
      expect(numbers(dataset, "seen")).toEqual([1_700_000_000_000, Number.NaN, 0, 1]);
      expect(categories(dataset, "city")).toEqual(["Zürich", "Lyon", null, "Lyon"]);
      expect(categories(dataset, "active")).toEqual(["true", "false", null, "true"]);
    },
  );

  it("reads a numeric column as categories when told to, integers printed exactly", async () => {
    const dataset = await readParquet(parquetFile(FIXTURE, "SNAPPY"), "fixture.parquet", new Set(["count"]));
    expect(categories(dataset, "count")).toEqual(["3", "9007199254740993", null, "-1"]);
  });

  it("reads the zstd-compressed vega-datasets flights, timestamps as epoch milliseconds", async () => {
    const bytes = readFileSync(flightsParquetPath());
    const dataset = await readParquet(bytes, "flights-3m.parquet", new Set(), { maxRows: 1000 });
    expect(dataset.rows).toBe(1000);
    expect(numbers(dataset, "date")[0]).toBe(Date.UTC(2001, 0, 1, 0, 1));
    expect(numbers(dataset, "delay")[0]).toBe(33);
    expect(numbers(dataset, "distance")[0]).toBe(2176);
    expect(categories(dataset, "origin")[0]).toBe("LAS");
    expect(categories(dataset, "destination")[0]).toBe("PHL");
  });

  it("rejects a truncated file and bytes that are not Parquet", async () => {
    const bytes = readFileSync(flightsParquetPath());
    await expect(readParquet(bytes.subarray(0, 100_000), "cut.parquet", new Set())).rejects.toThrow(
      /^cut\.parquet: not a readable Parquet file \(.+\)$/,
    );
    await expect(
      readParquet(new TextEncoder().encode("a,b\n1,2\n"), "fake.parquet", new Set()),
    ).rejects.toThrow(/^fake\.parquet: not a readable Parquet file/);
  });

  it("rejects a file whose column data is corrupt", async () => {
    const bytes = parquetFile(FIXTURE, "GZIP");
    // Flip bytes inside the first page's gzip stream, after its header.
    const corrupt = bytes.slice();
    for (let i = 40; i < 60; i++) corrupt[i] = (corrupt[i] as number) ^ 0xff;
    await expect(readParquet(corrupt, "bad.parquet", new Set())).rejects.toThrow(
      /^bad\.parquet: not a readable Parquet file/,
    );
  });
});
