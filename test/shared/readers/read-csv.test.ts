import { describe, expect, it } from "vitest";
import { readCsv } from "#shared/readers/read-csv";
import { categories, numbers } from "./support/columns.ts";
import { randomDecimalTexts } from "./support/random-decimals.ts";

const utf8 = (text: string) => new TextEncoder().encode(text);
const read = (text: string | Uint8Array, categorical: string[] = []) =>
  readCsv(typeof text === "string" ? utf8(text) : text, "data.csv", new Set(categorical));
const problem = (text: string) => {
  try {
    read(text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected the file to be rejected");
};

describe("readCsv", () => {
  it("infers numeric and categorical columns, in header order", () => {
    const dataset = read("age,city,score\n31,Paris,0.5\n42,Lyon,-1.25e2\n");
    expect(dataset.rows).toBe(2);
    expect([...dataset.columns.keys()]).toEqual(["age", "city", "score"]);
    expect(numbers(dataset, "age")).toEqual([31, 42]);
    expect(categories(dataset, "city")).toEqual(["Paris", "Lyon"]);
    expect(numbers(dataset, "score")).toEqual([0.5, -125]);
  });

  it("reads RFC 4180 quoting: delimiters, line breaks and doubled quotes inside quotes", () => {
    const dataset = read('id,note\n1,"a, b"\n2,"two\nlines"\n3,"say ""hi"""\n"4",""\n');
    expect(numbers(dataset, "id")).toEqual([1, 2, 3, 4]);
    expect(categories(dataset, "note")).toEqual(["a, b", "two\nlines", 'say "hi"', null]);
  });

  it("accepts CRLF and CR line ends and a last line without a line break", () => {
    expect(numbers(read("x,y\r\n1,2\r\n3,4"), "y")).toEqual([2, 4]);
    expect(numbers(read("x,y\r1,2\r3,4\r"), "x")).toEqual([1, 3]);
    expect(categories(read("x,c\n1,a\n2,b"), "c")).toEqual(["a", "b"]);
    expect(categories(read("x,c\n1,a\n2,"), "c")).toEqual(["a", null]);
  });

  it("reads empty and blank cells as missing, and NaN in a numeric column", () => {
    const dataset = read("x,c\n1,a\n,\n  ,  \nNaN,b\n2,\n");
    expect(numbers(dataset, "x")).toEqual([1, Number.NaN, Number.NaN, Number.NaN, 2]);
    expect(categories(dataset, "c")).toEqual(["a", null, null, "b", null]);
  });

  it("drops a UTF-8 byte order mark and decodes UTF-8 values", () => {
    const dataset = read(Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8("ville,n\nZürich,1\nSão Paulo,2\n")]));
    expect(categories(dataset, "ville")).toEqual(["Zürich", "São Paulo"]);
  });

  it("keeps a column's own text when a late value turns it categorical", () => {
    const rows = Array.from({ length: 5000 }, (_, i) => `${i % 2 === 0 ? "007" : "1.50"},${i}`);
    const dataset = read(`code,n\n${rows.join("\n")}\nA12,5000\n`);
    const codes = categories(dataset, "code");
    expect(codes.slice(0, 2)).toEqual(["007", "1.50"]);
    expect(codes.at(-1)).toBe("A12");
    expect(numbers(dataset, "n").at(-1)).toBe(5000);
  });

  it("reads booleans and words as categories, and --categorical columns whatever their values", () => {
    const dataset = read("flag,zip,n\ntrue,01234,1\nfalse,75001,2\n", ["zip"]);
    expect(categories(dataset, "flag")).toEqual(["true", "false"]);
    expect(categories(dataset, "zip")).toEqual(["01234", "75001"]);
  });

  it("reads numbers exactly as Number() does, including the forms of the slow path", () => {
    const texts = ["1e300", "-0", "0.1", "123456789012345678", " 42 ", "+7", ".5", "5.", "1E-7", "4.9e-324"];
    const dataset = read(`x\n${texts.map((text) => `"${text}"`).join("\n")}\n`);
    expect(numbers(dataset, "x")).toEqual(texts.map(Number));
    expect(Object.is(numbers(dataset, "x")[1], -0)).toBe(true);
  });

  it("reads 20,000 random unquoted decimals exactly as Number() does", () => {
    const texts = randomDecimalTexts(20_000, 7);
    const values = numbers(read(`x,y\n${texts.map((text) => `${text},${text}`).join("\n")}\n`), "y");
    expect(texts.filter((text, i) => !Object.is(values[i], Number(text)))).toEqual([]);
  });

  it("skips blank lines and names an empty header like pandas", () => {
    const dataset = read(",x\n\n0,1\n\n\n1,2\n\n");
    expect(dataset.rows).toBe(2);
    expect(numbers(dataset, "Unnamed: 0")).toEqual([0, 1]);
  });

  it("grows its columns past the row estimate taken from the first lines", () => {
    const longLines = Array.from({ length: 800 }, (_, i) => `${i},${"a".repeat(90)}`);
    const shortLines = Array.from({ length: 100_000 }, (_, i) => `${i},b`);
    const dataset = read(`n,s\n${[...longLines, ...shortLines].join("\n")}\n`);
    expect(dataset.rows).toBe(100_800);
    expect(numbers(dataset, "n").at(-1)).toBe(99_999);
    expect(categories(dataset, "s").at(-1)).toBe("b");
  });

  it("names the line of a ragged row, counting line breaks inside quotes", () => {
    expect(problem('a,b\n1,"x\ny"\n2,3,4\n')).toBe("data.csv: line 4: 3 fields where the header has 2");
    expect(problem("a,b,c\n1,2,3\n4,5\n")).toBe("data.csv: line 3: 2 fields where the header has 3");
  });

  it("rejects an unclosed quote and text after a closing quote, naming the line", () => {
    expect(problem('a,b\n1,2\n3,"open\n')).toBe("data.csv: line 3: a quoted field is never closed");
    expect(problem('a,b\n1,"x"y\n')).toBe("data.csv: line 2: unexpected text after a closing quote");
  });

  it("rejects an empty file, a header without rows and a duplicate column name", () => {
    expect(problem("\n\n")).toBe("data.csv: the file is empty");
    expect(problem("a,b\n")).toBe("data.csv: the file has a header but no data rows");
    expect(problem("a,b,a\n1,2,3\n")).toBe('data.csv: the header names column "a" twice');
  });
});
