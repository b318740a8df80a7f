import { describe, expect, it } from "vitest";
import { labelOf, sortLabels } from "#shared/performance/labels";

describe("labelOf", () => {
  it('makes the number 1 and the string "1" one label', () => {
    expect(labelOf(1)).toBe(labelOf("1"));
    expect(labelOf(0.5)).toBe("0.5");
  });
});

describe("sortLabels", () => {
  it("orders number labels numerically, as np.unique orders integer classes", () => {
    expect(sortLabels(["10", "2", "1", "-3", "0.5"])).toEqual(["-3", "0.5", "1", "2", "10"]);
  });

  it("orders other labels by code point, as numpy sorts a str array", () => {
    // U+FF01 (FULLWIDTH EXCLAMATION MARK) is below U+1F600 as a code point, but above its UTF-16 surrogates.
    expect(sortLabels(["😀", "\uFF01", "b", "B", "a"])).toEqual(["B", "a", "b", "\uFF01", "😀"]);
    expect(["😀", "\uFF01"].sort()).toEqual(["😀", "\uFF01"]);
  });

  it("orders mixed and non-canonical number texts as strings", () => {
    expect(sortLabels(["10", "2", "cat"])).toEqual(["10", "2", "cat"]);
    expect(sortLabels(["1.0", "10", "2"])).toEqual(["1.0", "10", "2"]);
  });

  it("lists each label once", () => {
    expect(sortLabels(["b", "a", "b", "a"])).toEqual(["a", "b"]);
  });
});
