import { z } from "zod";

const instant = z.iso.datetime({ offset: true, error: "must be an ISO-8601 date-time with a time zone" });

/** A period of a model's own logged traffic, by receipt time: `from` inclusive, `to` exclusive. */
export const windowSchema = z
  .strictObject({ from: instant, to: instant })
  .refine(({ from, to }) => Date.parse(from) < Date.parse(to), {
    message: "from must be before to",
    path: ["to"],
  });

/**
 * `PUT /v1/models/{modelId}/baseline`: reference records in the body (up to the 6 MB payload limit),
 * a window of the model's own logged traffic, or a file uploaded through
 * `POST /v1/models/{modelId}/baseline/uploads`.
 */
export const baselineRequestSchema = z.union([
  z.strictObject({ records: z.array(z.unknown()).min(1, "must hold at least 1 record") }),
  z.strictObject({ window: windowSchema }),
  z.strictObject({ upload: z.strictObject({ id: z.uuid() }) }),
]);

/** Where a baseline version's rows came from. */
export const baselineSourceSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("records") }),
  z.object({ type: z.literal("window"), from: z.string(), to: z.string() }),
  z.object({ type: z.literal("upload"), uploadId: z.string() }),
  /** Taken by the first check with enough rows, when the model config's `baseline.fromFirstWindow` is set. */
  z.object({ type: z.literal("first-window"), from: z.string(), to: z.string() }),
]);

/** One immutable baseline version: what it holds, where from, who set it and when. */
export const baselineVersionSchema = z.object({
  version: z.int().positive(),
  rows: z.int().nonnegative(),
  columns: z.int().nonnegative(),
  source: baselineSourceSchema,
  /** "admin", or "token:<tokenId>" for a model token. */
  createdBy: z.string(),
  createdAt: z.string(),
  /** S3 key prefix of the summary (header.json and numbers.f64). */
  prefix: z.string(),
  /** Size of numbers.f64. */
  bytes: z.int().nonnegative(),
});

export type BaselineRequest = z.infer<typeof baselineRequestSchema>;
export type BaselineSource = z.infer<typeof baselineSourceSchema>;
export type BaselineVersion = z.infer<typeof baselineVersionSchema>;

/** `POST /v1/models/{modelId}/checks`: optionally the window to check; without one, the model's window up to now. */
export const checkRequestSchema = z.strictObject({ window: windowSchema.optional() });
