import { mkdirSync } from "node:fs";
import { asyncBufferFromFile, parquetReadObjects } from "hyparquet";
import { compressors } from "hyparquet-compressors";
import { describe, expect, it } from "vitest";
import { flightsParquetPath } from "#shared/local/demo/flights";
import { CsvRecordSplitter } from "#shared/readers/csv-rows";
import { checkRecord, openRecordRows, type RecordRow } from "#shared/readers/record-rows";
import { parquetFile } from "./support/parquet-writer.ts";
import { useTempFiles } from "./support/temp-files.ts";

const write = useTempFiles();

async function readAll(file: string, columns?: { prediction: string; id: string }): Promise<RecordRow[]> {
  const rows: RecordRow[] = [];
  for await (const row of (await openRecordRows(file, columns)).rows) rows.push(row);
  return rows;
}

describe("openRecordRows", () => {
  it("names a missing file, a folder, an unknown file type and a file that is not Parquet", async () => {
    const csv = write("present.csv", "a,prediction\n1,2\n");
    const missing = csv.replace("present.csv", "missing.csv");
    const folder = csv.replace("present.csv", "folder.csv");
    mkdirSync(folder);
    const text = write("notes.txt", "a\n");
    const fake = write("fake.parquet", "not parquet at all");
    await expect(openRecordRows(missing)).rejects.toThrow(`${missing}: no such file`);
    await expect(openRecordRows(folder)).rejects.toThrow(`${folder}: is a directory, not a file`);
    await expect(openRecordRows(text)).rejects.toThrow(
      `${text}: unknown file type ".txt"; expected .csv, .ndjson, .jsonl, .parquet`,
    );
    await expect(openRecordRows(fake)).rejects.toThrow(`${fake}: not a readable Parquet file (`);
  });
});

describe("openRecordRows on CSV", () => {
  it("maps the named columns to Record fields, proba_<label> to probabilities and the rest to features", async () => {
    const file = write(
      "mapped.csv",
      [
        "id,timestamp,age,plan,prediction,proba_0,proba_1,latencyMs,error,version,segment",
        "r1,2026-11-01T12:00:00Z,42,pro,1,0.2,0.8,12.5,false,v1,eu",
        "r2,,,free,no,,,,TRUE,,",
      ].join("\n"),
    );
    expect(await readAll(file)).toEqual([
      {
        line: 2,
        row: {
          id: "r1",
          timestamp: "2026-11-01T12:00:00Z",
          features: { age: 42, plan: "pro" },
          prediction: 1,
          probabilities: { "0": 0.2, "1": 0.8 },
          latencyMs: 12.5,
          error: false,
          version: "v1",
          segment: "eu",
        },
      },
      // Empty cells: a null feature, every other field left out.
      { line: 3, row: { id: "r2", features: { age: null, plan: "free" }, prediction: "no", error: true } },
    ]);
  });

  it("reads decimal numbers as compare does, and keeps other text as written", async () => {
    const file = write("numbers.csv", "x,prediction\n-1.5e3,.5\n 7 ,5.\n0x1F,Infinity\n1_000,+2\n");
    const rows = await readAll(file);
    expect(rows.map((row) => ("row" in row ? [row.row.features, row.row.prediction] : row))).toEqual([
      [{ x: -1500 }, 0.5],
      [{ x: 7 }, 5],
      [{ x: "0x1F" }, "Infinity"],
      [{ x: "1_000" }, 2],
    ]);
  });

  it("follows RFC 4180 quoting and counts the lines a quoted line break spans", async () => {
    const file = write(
      "quoted.csv",
      '\uFEFFnote,prediction\r\n"a, b",1\r\n\r\n"say ""hi""\nand bye",2\r\n"",3\rlast,4',
    );
    expect(await readAll(file)).toEqual([
      { line: 2, row: { features: { note: "a, b" }, prediction: 1 } },
      { line: 4, row: { features: { note: 'say "hi"\nand bye' }, prediction: 2 } },
      { line: 6, row: { features: { note: null }, prediction: 3 } },
      { line: 7, row: { features: { note: "last" }, prediction: 4 } },
    ]);
  });

  it("names the line of a ragged row and of text after a closing quote, and reads on", async () => {
    const file = write("ragged.csv", 'a,prediction\n1,2\n1,2,3\n"x"y,2\n4,5\n');
    expect(await readAll(file)).toEqual([
      { line: 2, row: { features: { a: 1 }, prediction: 2 } },
      { line: 3, problem: "3 fields where the header has 2" },
      { line: 4, problem: "unexpected text after a closing quote" },
      { line: 5, row: { features: { a: 4 }, prediction: 5 } },
    ]);
  });

  it("takes the prediction and the id from the columns named, leaving columns called so as features", async () => {
    const file = write("renamed.csv", "request,score,prediction\nq1,0.9,7\n");
    expect(await readAll(file, { prediction: "score", id: "request" })).toEqual([
      { line: 2, row: { id: "q1", features: { prediction: 7 }, prediction: 0.9 } },
    ]);
  });

  it("refuses a file without the prediction column before reading its rows, naming the option", async () => {
    const file = write("no-prediction.csv", "a,b\n1,2\n");
    await expect(openRecordRows(file)).rejects.toThrow(
      `${file}: no column "prediction" for the prediction; name yours with --prediction-column`,
    );
    await expect(openRecordRows(file, { prediction: "score", id: "id" })).rejects.toThrow(
      `${file}: no column "score" for the prediction (--prediction-column)`,
    );
  });

  it("refuses an empty file, a header without rows, a repeated column and an unclosed quote", async () => {
    const empty = write("empty.csv", "");
    const blank = write("blank.csv", "\n\n");
    const headerOnly = write("header.csv", "a,prediction\n");
    const twice = write("twice.csv", "a,a,prediction\n1,2,3\n");
    const unclosed = write("unclosed.csv", 'a,prediction\n1,2\n"open,3\n4,5\n');
    await expect(openRecordRows(empty)).rejects.toThrow(`${empty}: the file is empty`);
    await expect(openRecordRows(blank)).rejects.toThrow(`${blank}: the file is empty`);
    await expect(openRecordRows(headerOnly)).rejects.toThrow(
      `${headerOnly}: the file has a header but no data rows`,
    );
    await expect(openRecordRows(twice)).rejects.toThrow(`${twice}: the header names column "a" twice`);
    await expect(readAll(unclosed)).rejects.toThrow(`${unclosed}: line 3: a quoted field is never closed`);
  });

  it("streams a file many times its read buffer and reports how much it has read", async () => {
    const lines = ["id,text,prediction"];
    for (let i = 0; i < 20_000; i++) lines.push(`r${i},"row ${i}, with a comma\nand a line break",${i % 2}`);
    const file = write("large.csv", `${lines.join("\n")}\n`);
    const source = await openRecordRows(file);
    let count = 0;
    let halfway = 0;
    for await (const item of source.rows) {
      if (!("row" in item)) throw new Error(item.problem);
      expect(item.line).toBe(2 + 2 * count);
      expect(item.row.id).toBe(`r${count}`);
      count++;
      if (count === 10_000) halfway = source.fractionRead();
    }
    expect(count).toBe(20_000);
    expect(halfway).toBeGreaterThan(0.3);
    expect(halfway).toBeLessThan(0.7);
    expect(source.fractionRead()).toBe(1);
  });
});

describe("CsvRecordSplitter", () => {
  it("splits the same records however the text is cut into pieces", () => {
    const text = 'a,"b\r\nc""d",e\r\n\r\n"",x\rf,"g"\n"h""",\n,\nlast';
    const whole = new CsvRecordSplitter("t.csv", 1000);
    const expected = [...whole.push(text), ...whole.end()];
    expect(expected.map((record) => [record.line, record.fields])).toEqual([
      [1, ["a", 'b\r\nc"d', "e"]],
      [4, ["", "x"]],
      [5, ["f", "g"]],
      [6, ['h"', ""]],
      [7, ["", ""]],
      [8, ["last"]],
    ]);
    for (let cut = 1; cut < text.length; cut++) {
      const splitter = new CsvRecordSplitter("t.csv", 1000);
      const records = [
        ...splitter.push(text.slice(0, cut)),
        ...splitter.push(text.slice(cut)),
        ...splitter.end(),
      ];
      expect(records, `cut at ${cut}`).toEqual(expected);
    }
    const byCharacter = new CsvRecordSplitter("t.csv", 1000);
    expect([...[...text].flatMap((c) => byCharacter.push(c)), ...byCharacter.end()]).toEqual(expected);
  });

  it("refuses a record longer than its limit, naming its line", () => {
    const splitter = new CsvRecordSplitter("t.csv", 10);
    expect(() => splitter.push('a,b\n"0123456789ab')).toThrow(
      "t.csv: line 2: a record of more than 10 characters",
    );
  });
});

describe("openRecordRows on NDJSON", () => {
  it("passes API-shaped lines through, maps flat ones by key, and names the lines that are not objects", async () => {
    const record = {
      id: "r1",
      features: { age: 42, nested: [1] },
      prediction: "yes",
      probabilities: { yes: 0.7, no: 0.3 },
    };
    const file = write(
      "mixed.ndjson",
      [
        JSON.stringify(record),
        "",
        '{"id": 7, "age": 3, "plan": null, "prediction": 0, "proba_1": 0.1, "error": true}',
        "{not json",
        "[1, 2]",
        '{"age": "41", "prediction": 1}\r',
      ].join("\n"),
    );
    const rows = await readAll(file);
    expect(rows).toEqual([
      { line: 1, row: record },
      {
        line: 3,
        row: {
          id: "7",
          features: { age: 3, plan: null },
          prediction: 0,
          probabilities: { "1": 0.1 },
          error: true,
        },
      },
      { line: 4, problem: expect.stringMatching(/^not valid JSON \(/) },
      { line: 5, problem: "not a JSON object" },
      { line: 6, row: { features: { age: "41" }, prediction: 1 } },
    ]);
  });

  it("refuses a file whose first flat line has no prediction, and an empty file", async () => {
    const flat = write("flat.ndjson", '\n{"a": 1, "score": 2}\n');
    const blank = write("blank.ndjson", "\n  \n");
    await expect(openRecordRows(flat)).rejects.toThrow(
      `${flat}: line 2 has neither a "features" object nor the key "prediction" for the prediction; name yours with --prediction-column`,
    );
    await expect(readAll(flat, { prediction: "score", id: "id" })).resolves.toEqual([
      { line: 2, row: { features: { a: 1 }, prediction: 2 } },
    ]);
    await expect(openRecordRows(blank)).rejects.toThrow(`${blank}: the file is empty`);
  });
});

describe("openRecordRows on Parquet", () => {
  it("maps columns by name, keeping their types, with 1-based row numbers", async () => {
    const file = write(
      "logs.parquet",
      parquetFile(
        [
          { name: "id", type: "int64", values: [101n, 102n] },
          { name: "timestamp", type: "timestamp-millis", values: [BigInt(Date.UTC(2026, 10, 1, 12)), null] },
          { name: "age", type: "double", values: [42.5, null] },
          { name: "visits", type: "int64", values: [3n, 4n] },
          { name: "seen", type: "timestamp-millis", values: [0n, 86_400_000n] },
          { name: "plan", type: "string", values: ["7", "free"] },
          { name: "active", type: "boolean", values: [true, false] },
          { name: "prediction", type: "string", values: ["yes", "no"] },
          { name: "proba_yes", type: "double", values: [0.75, null] },
        ],
        "SNAPPY",
      ),
    );
    const source = await openRecordRows(file);
    expect(source.unit).toBe("row");
    const rows: RecordRow[] = [];
    for await (const row of source.rows) rows.push(row);
    expect(rows).toEqual([
      {
        line: 1,
        row: {
          id: "101",
          timestamp: "2026-11-01T12:00:00.000Z",
          features: { age: 42.5, visits: 3, seen: 0, plan: "7", active: true },
          prediction: "yes",
          probabilities: { yes: 0.75 },
        },
      },
      {
        line: 2,
        row: {
          id: "102",
          features: { age: null, visits: 4, seen: 86_400_000, plan: "free", active: false },
          prediction: "no",
        },
      },
    ]);
    expect(source.fractionRead()).toBe(1);
  });

  it("refuses a file without the prediction column", async () => {
    const file = write(
      "no-prediction.parquet",
      parquetFile([{ name: "a", type: "double", values: [1] }], "GZIP"),
    );
    await expect(openRecordRows(file)).rejects.toThrow(
      `${file}: no column "prediction" for the prediction; name yours with --prediction-column`,
    );
  });

  it("reads row group after row group, numbering rows across them", async () => {
    // 3M flights in row groups of 272,727 rows: read past the first boundary and stop.
    const file = flightsParquetPath();
    const source = await openRecordRows(file, { prediction: "delay", id: "id" });
    const boundary = 272_727;
    const seen: RecordRow[] = [];
    for await (const item of source.rows) {
      if (item.line >= boundary - 1) seen.push(item);
      if (item.line === boundary + 2) break;
    }
    const expected = await parquetReadObjects({
      file: await asyncBufferFromFile(file),
      compressors,
      rowStart: boundary - 2,
      rowEnd: boundary + 2,
    });
    expect(seen).toEqual(
      expected.map((values, index) => ({
        line: boundary - 1 + index,
        row: {
          features: {
            date: Number(values.date),
            distance: Number(values.distance),
            origin: values.origin,
            destination: values.destination,
          },
          prediction: Number(values.delay),
        },
      })),
    );
    expect(source.fractionRead()).toBeCloseTo((boundary + 2) / 3_000_000, 6);
  });
});

describe("checkRecord", () => {
  it("gives the record, or every problem as path: message", () => {
    expect(checkRecord({ features: { age: 1 }, prediction: 1 })).toEqual({
      record: { features: { age: 1 }, prediction: 1 },
    });
    expect(
      checkRecord({
        features: { age: [1] },
        prediction: null,
        latencyMs: -1,
        probabilities: { a: 2 },
        extra: 1,
      }),
    ).toEqual({
      problems: [
        "features.age: feature value must be a finite number, a string, a boolean or null",
        "prediction: must be a finite number or a string",
        expect.stringMatching(/^probabilities\.a: /),
        expect.stringMatching(/^latencyMs: /),
        expect.stringMatching(/Unrecognized key: "extra"/),
      ],
    });
  });
});
