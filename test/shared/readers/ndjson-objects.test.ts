import { describe, expect, it } from "vitest";
import { ndjsonObjects } from "#shared/readers/ndjson-objects";

const read = (text: string) => [...ndjsonObjects(Buffer.from(text, "utf8"), "logs/batch.ndjson.gz")];
const problem = (text: string) => {
  try {
    read(text);
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the bytes to be rejected");
};

describe("ndjsonObjects", () => {
  it("parses each line as it is reached, skipping blank lines, with or without a final newline", () => {
    expect(read('{"a":1}\n\n{"a":2,"b":"x"}\n')).toEqual([{ a: 1 }, { a: 2, b: "x" }]);
    expect(read('{"a":1}\n{"a":2}')).toEqual([{ a: 1 }, { a: 2 }]);
    expect(read("")).toEqual([]);
  });

  it("decodes multi-byte UTF-8 and escapes as JSON.parse does", () => {
    const lines = [{ 'é "q"': "ü\n", emoji: "🙂" }, { 日本: "\u0000" }];
    expect(read(lines.map((line) => `${JSON.stringify(line)}\n`).join(""))).toEqual(lines);
  });

  it("names the source and line of a line that is not JSON", () => {
    const error = problem('{"a":1}\n\n{"a":\n');
    expect(error).toBeInstanceOf(SyntaxError);
    expect(error.message).toMatch(/^logs\/batch\.ndjson\.gz, line 3: /);
  });

  it("names the source and line of a line that is JSON but not an object", () => {
    for (const value of ["null", "[1,2]", "42", '"text"']) {
      const error = problem(`{"a":1}\n${value}\n`);
      expect(error).toBeInstanceOf(SyntaxError);
      expect(error.message).toBe("logs/batch.ndjson.gz, line 2: not a JSON object");
    }
  });

  it("stops at the bad line: the lines before it have been read", () => {
    const seen: unknown[] = [];
    expect(() => {
      for (const value of ndjsonObjects(Buffer.from('{"a":1}\nnot json\n{"a":3}\n'), "x")) seen.push(value);
    }).toThrow("x, line 2");
    expect(seen).toEqual([{ a: 1 }]);
  });
});
