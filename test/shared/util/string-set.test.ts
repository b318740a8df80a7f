import { describe, expect, it } from "vitest";
import { StringSet } from "#shared/util/string-set";
import { Random } from "../../support/random.ts";

describe("StringSet", () => {
  it("says whether each string was new, as a Set would", () => {
    const random = new Random(5);
    const alphabet = ["a", "b", "é", "日", "🙂", "-", "0"];
    const strings = Array.from({ length: 50_000 }, () =>
      Array.from({ length: random.int(6) }, () => alphabet[random.int(alphabet.length)]).join(""),
    );
    const set = new StringSet();
    const reference = new Set<string>();
    for (const value of strings) {
      const isNew = !reference.has(value);
      reference.add(value);
      expect(set.add(value)).toBe(isNew);
    }
    expect(set.size).toBe(reference.size);
  });

  it("tells apart strings that are prefixes of each other, and the empty string", () => {
    const set = new StringSet();
    expect(["", "a", "ab", "abc", "b"].map((value) => set.add(value))).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(["abc", "ab", "a", ""].map((value) => set.add(value))).toEqual([false, false, false, false]);
  });

  it("keeps a million ids through every growth of its buffers", () => {
    const set = new StringSet();
    for (let i = 0; i < 1_000_000; i++) set.add(`o${i % 1000}-${Math.floor(i / 1000)}`);
    expect(set.size).toBe(1_000_000);
    expect(set.add("o999-999")).toBe(false);
    expect(set.add("o999-1000")).toBe(true);
  });
});
