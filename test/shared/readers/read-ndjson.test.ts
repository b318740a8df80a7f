import { describe, expect, it } from "vitest";
import { readNdjson } from "#shared/readers/read-ndjson";
import { categories, numbers } from "./support/columns.ts";

const read = (text: string, categorical: string[] = []) =>
  readNdjson(new TextEncoder().encode(text), "data.ndjson", new Set(categorical));
const problem = (text: string) => {
  try {
    read(text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected the file to be rejected");
};

describe("readNdjson", () => {
  it("reads numbers as numeric, strings and booleans as categories, null and absent keys as missing", () => {
    const dataset = read('{"x":1,"s":"a","b":true}\n{"x":null,"s":"b"}\n{"x":2.5,"b":false,"late":7}\n');
    expect(dataset.rows).toBe(3);
    expect([...dataset.columns.keys()]).toEqual(["x", "s", "b", "late"]);
    expect(numbers(dataset, "x")).toEqual([1, Number.NaN, 2.5]);
    expect(categories(dataset, "s")).toEqual(["a", "b", null]);
    expect(categories(dataset, "b")).toEqual(["true", null, "false"]);
    expect(numbers(dataset, "late")).toEqual([Number.NaN, Number.NaN, 7]);
  });

  it("makes a column mixing numbers and strings categorical, and keeps strings that spell numbers as text", () => {
    const dataset = read('{"m":1,"t":"1"}\n{"m":"x","t":"2"}\n{"m":null,"t":"3"}\n');
    expect(categories(dataset, "m")).toEqual(["1", "x", null]);
    expect(categories(dataset, "t")).toEqual(["1", "2", "3"]);
  });

  it("forces --categorical columns, skips blank lines, accepts CRLF and a byte order mark", () => {
    const dataset = read('\uFEFF{"zip":75001}\r\n\r\n{"zip":1234}\r\n', ["zip"]);
    expect(categories(dataset, "zip")).toEqual(["75001", "1234"]);
  });

  it("rejects nested values, naming the line and the key", () => {
    expect(problem('{"a":1}\n{"a":{"b":2}}\n')).toBe(
      'data.ndjson: line 2: "a" holds a nested object; each line must be a flat object of numbers, strings, booleans and nulls',
    );
    expect(problem('{"a":[1,2]}\n')).toMatch(/^data\.ndjson: line 1: "a" holds an array;/);
  });

  it("rejects invalid JSON, a line that is not an object, and a file without records", () => {
    expect(problem('{"a":1}\n{"a":\n')).toMatch(/^data\.ndjson: line 2 is not valid JSON \(.+\)$/);
    expect(problem("[1,2]\n")).toBe("data.ndjson: line 1 is not a JSON object");
    expect(problem("\n \n")).toBe("data.ndjson: the file is empty");
  });
});
