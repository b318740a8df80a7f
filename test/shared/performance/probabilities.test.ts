import { describe, expect, it } from "vitest";
import { loggedProbabilities, probabilityOf } from "#shared/performance/probabilities";

describe("loggedProbabilities", () => {
  it("treats a missing or empty map as no probabilities", () => {
    expect(loggedProbabilities({})).toBeUndefined();
    expect(loggedProbabilities({ probabilities: {} })).toBeUndefined();
    expect(loggedProbabilities({ probabilities: { a: 1 } })).toEqual({ a: 1 });
  });
});

describe("probabilityOf", () => {
  it("gives 0 for a label the map leaves out, including names that Object.prototype has", () => {
    const probabilities = { cat: 0.7, dog: 0.3 };
    expect(probabilityOf(probabilities, "dog")).toBe(0.3);
    expect(probabilityOf(probabilities, "pig")).toBe(0);
    expect(probabilityOf(probabilities, "constructor")).toBe(0);
    expect(probabilityOf(JSON.parse('{"__proto__": 0.4}'), "__proto__")).toBe(0.4);
  });
});
