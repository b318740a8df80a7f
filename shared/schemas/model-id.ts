import { z } from "zod";

/**
 * 1 to 64 of `[A-Za-z0-9_.-]`, not starting with `.` (CONTRACT §2). ASCII only, so unicode
 * look-alikes, `..` and encoded slashes can never reach an S3 key or a DynamoDB key.
 */
export const modelIdSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}$/,
    "must be 1 to 64 of A-Z a-z 0-9 _ . - and not start with '.'",
  );

export type ModelId = z.infer<typeof modelIdSchema>;
