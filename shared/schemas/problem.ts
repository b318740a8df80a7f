import { z } from "zod";

/** One invalid field of a request: a JSON path (`records[3].features.age`) and what is wrong. */
export const fieldErrorSchema = z.object({ path: z.string(), message: z.string() });

/** An `application/problem+json` refusal (RFC 9457) as the API sends it, `errors` naming each bad field. */
export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  detail: z.string(),
  errors: z.array(fieldErrorSchema).optional(),
});

export type FieldError = z.infer<typeof fieldErrorSchema>;
export type Problem = z.infer<typeof problemSchema>;
