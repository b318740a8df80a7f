import type { z } from "zod";
import { type FieldError, ValidationProblem } from "./problem.ts";

type PathSegment = PropertyKey;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `["records", 3, "features", "age"]` -> `records[3].features.age`, the way a user would write it. */
export function formatPath(segments: readonly PathSegment[]): string {
  let path = "";
  for (const segment of segments) {
    if (typeof segment === "number") path += `[${segment}]`;
    else if (typeof segment === "string" && IDENTIFIER.test(segment)) path += path ? `.${segment}` : segment;
    else path += `[${JSON.stringify(String(segment))}]`;
  }
  return path || "(body)";
}

/**
 * One error per bad field, at the field's own path. zod reports unknown keys as one issue at the
 * path of the object holding them; each key gets its own error, so it reads like every other.
 */
export function fieldErrors(error: z.ZodError, prefix: readonly PathSegment[] = []): FieldError[] {
  return error.issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        path: formatPath([...path, key]),
        message: `Unrecognized key: ${JSON.stringify(key)}`,
      }));
    }
    return [{ path: formatPath(path), message: issue.message }];
  });
}

/** Parses `value` or throws a 400 problem naming every invalid field. */
export function parseOrReject<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  detail: string,
): z.infer<Schema> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationProblem(detail, fieldErrors(result.error));
  return result.data;
}
