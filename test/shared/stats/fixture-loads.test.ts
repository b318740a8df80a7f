import { describe, expect, it } from "vitest";
import { vectors } from "../../fixtures/stats-vectors.ts";

describe("scipy reference vectors", () => {
  it("are present with both numeric and categorical cases", () => {
    expect(vectors.cases.some((c) => c.type === "numeric")).toBe(true);
    expect(vectors.cases.some((c) => c.type === "categorical")).toBe(true);
  });
});
