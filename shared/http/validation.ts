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

export function fieldErrors(error: z.ZodError, prefix: readonly PathSegment[] = []): FieldError[] {
  return error.issues.map((issue) => ({
    path: formatPath([...prefix, ...issue.path]),
    message: issue.message,
  }));
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
