import { z } from "zod";

const instant = z.iso
  .datetime({ offset: true, error: "must be an ISO-8601 date-time with a time zone" })
  .transform((value) => new Date(value).toISOString());

/** `?from=&to=&limit=&cursor=` of the history routes (drift, latency, performance): a page of checks, newest first. */
export const historyQuerySchema = z.strictObject({
  from: instant.optional(),
  to: instant.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().min(1).max(200).optional(),
});

export type HistoryQuery = z.infer<typeof historyQuerySchema>;
