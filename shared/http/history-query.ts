import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { z } from "zod";
import { parseOrReject } from "./validation.ts";

const instant = z.iso
  .datetime({ offset: true, error: "must be an ISO-8601 date-time with a time zone" })
  .transform((value) => new Date(value).toISOString());

const historyQuerySchema = z.strictObject({
  from: instant.optional(),
  to: instant.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().min(1).max(200).optional(),
});

export type HistoryQuery = z.infer<typeof historyQuerySchema>;

/** `?from=&to=&limit=&cursor=` of the history routes, or a 400 naming the bad parameter. */
export function historyQueryOf(event: APIGatewayProxyEventV2): HistoryQuery {
  return parseOrReject(historyQuerySchema, event.queryStringParameters ?? {}, "Invalid query parameters");
}
