import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ValidationProblem } from "#shared/http/problem";
import { fieldErrors, formatPath, parseOrReject } from "#shared/http/validation";

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

describe("fieldErrors", () => {
  const schema = z.strictObject({ n: z.number(), inner: z.strictObject({ s: z.string() }) });
  const errorOf = (value: unknown) => {
    const result = schema.safeParse(value);
    if (result.success) throw new Error("expected the value to be invalid");
    return result.error;
  };

  it("names each unknown key by its own path, not the path of the object holding it", () => {
    const error = errorOf({ n: 1, inner: { s: "a", colour: "red", "two words": 2 }, latency: 3 });
    expect(fieldErrors(error)).toEqual(
      expect.arrayContaining([
        { path: "inner.colour", message: 'Unrecognized key: "colour"' },
        { path: 'inner["two words"]', message: 'Unrecognized key: "two words"' },
        { path: "latency", message: 'Unrecognized key: "latency"' },
      ]),
    );
    expect(fieldErrors(error)).toHaveLength(3);
  });

  it("puts the prefix before an unknown key's path", () => {
    expect(fieldErrors(errorOf({ n: 1, inner: { s: "a" }, latency: 3 }), ["records", 0])).toEqual([
      { path: "records[0].latency", message: 'Unrecognized key: "latency"' },
    ]);
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
