import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { type HistoryQuery, historyQuerySchema } from "#shared/schemas/history-query";
import { parseOrReject } from "./validation.ts";

export type { HistoryQuery } from "#shared/schemas/history-query";

/** `?from=&to=&limit=&cursor=` of the history routes, or a 400 naming the bad parameter. */
export function historyQueryOf(event: APIGatewayProxyEventV2): HistoryQuery {
  return parseOrReject(historyQuerySchema, event.queryStringParameters ?? {}, "Invalid query parameters");
}
