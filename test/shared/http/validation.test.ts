import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ValidationProblem } from "#shared/http/problem";
import { formatPath, parseOrReject } from "#shared/http/validation";

describe("formatPath", () => {
  it.each([
    [[], "(body)"],
    [["records", 3, "features", "age"], "records[3].features.age"],
    [["features", "a b"], 'features["a b"]'],
    [[0, "x"], "[0].x"],
  ])("writes %j as %s", (segments, expected) => {
    expect(formatPath(segments)).toBe(expected);
  });
});

describe("parseOrReject", () => {
  const schema = z.strictObject({ n: z.number(), s: z.string() });

  it("returns the parsed value", () => {
    expect(parseOrReject(schema, { n: 1, s: "a" }, "bad")).toEqual({ n: 1, s: "a" });
  });

  it("throws a 400 problem naming every bad field", () => {
    try {
      parseOrReject(schema, { n: "1" }, "bad input");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationProblem);
      const problem = error as ValidationProblem;
      expect(problem.status).toBe(400);
      expect(problem.errors?.map((fieldError) => fieldError.path).sort()).toEqual(["n", "s"]);
    }
  });
});
