import { describe, expect, it } from "vitest";
import { parseDecimalBytes } from "#shared/readers/decimal-bytes";
import { randomDecimalTexts } from "./support/random-decimals.ts";

const utf8 = new TextEncoder();
const parse = (text: string) => {
  const bytes = utf8.encode(`,${text},`);
  return parseDecimalBytes(bytes, 1, bytes.length - 1);
};

describe("parseDecimalBytes", () => {
  it("agrees with Number() on 20,000 random decimal texts", () => {
    const mismatches = randomDecimalTexts(20_000, 42).filter((text) => !Object.is(parse(text), Number(text)));
    expect(mismatches).toEqual([]);
  });

  it("ignores spaces and tabs around the number", () => {
    expect(parse(" \t-1.5e2\t ")).toBe(-150);
  });

  it("rejects what is not a plain decimal number", () => {
    for (const text of [
      "",
      " ",
      "-",
      ".",
      "e5",
      "1e",
      "1e+",
      "0x1F",
      "Infinity",
      "1,5",
      "1 2",
      "12a",
      "--1",
    ]) {
      expect(parse(text), JSON.stringify(text)).toBeNaN();
    }
  });
});
