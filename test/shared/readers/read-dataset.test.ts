import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { describe, expect, it } from "vitest";
import { readDataset } from "#shared/readers/read-dataset";
import { parquetFile } from "./support/parquet-writer.ts";
import { useTempFiles } from "./support/temp-files.ts";

const write = useTempFiles();

describe("readDataset", () => {
  it("chooses the reader by extension, in any case", async () => {
    const csv = await readDataset(write("a.CSV", "x\n1\n2\n"));
    const ndjson = await readDataset(write("b.Jsonl", '{"x":1}\n'));
    const ndjson2 = await readDataset(write("c.ndjson", '{"x":1}\n{"x":2}\n{"x":3}\n'));
    const parquet = await readDataset(
      write("d.PARQUET", parquetFile([{ name: "x", type: "double", values: [1, 2, 3, 4] }], "GZIP")),
    );
    expect([csv.rows, ndjson.rows, ndjson2.rows, parquet.rows]).toEqual([2, 1, 3, 4]);
  });

  it("passes --categorical columns to every reader", async () => {
    const dataset = await readDataset(write("e.csv", "x,y\n1,2\n"), { categorical: ["y"] });
    expect(dataset.columns.get("y")?.kind).toBe("categorical");
  });

  it("names the file and the problem when it is missing, a directory, empty or of an unknown type", async () => {
    const missing = write("f.csv", "x\n1\n").replace("f.csv", "nope.csv");
    await expect(readDataset(missing)).rejects.toThrow(`${missing}: no such file`);
    const folder = dirname(write("g.csv", "x\n1\n"));
    mkdirSync(`${folder}/dir.csv`);
    await expect(readDataset(`${folder}/dir.csv`)).rejects.toThrow(
      `${folder}/dir.csv: is a directory, not a file`,
    );
    const empty = write("h.parquet", "");
    await expect(readDataset(empty)).rejects.toThrow(`${empty}: the file is empty`);
    const text = write("i.txt", "x\n1\n");
    await expect(readDataset(text)).rejects.toThrow(
      `${text}: unknown file type ".txt"; expected .csv, .ndjson, .jsonl, .parquet`,
    );
  });
});
