import { GetCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { dynamoDbClient } from "#shared/aws/clients";
import { checksTable } from "#shared/aws/resources";
import { retentionDays, tableName } from "#shared/config/environment";
import { type CheckResult, checkResultSchema } from "#shared/schemas/check-result";

/** Records a check; a scheduled check re-run for the same window replaces its earlier result. */
export async function saveCheck(result: CheckResult): Promise<void> {
  const expiresAt = Math.floor(Date.parse(result.checkedAt) / 1000) + retentionDays() * 86_400;
  await dynamoDbClient().send(
    new PutCommand({ TableName: tableName(checksTable), Item: { ...result, expiresAt } }),
  );
}

export interface CheckPage {
  checks: CheckResult[];
  /** Pass as `cursor` for the next page; absent on the last one. */
  next?: string;
}

/**
 * A model's checks whose window ended in [from, to], newest first, a page at a time. The cursor is
 * the last check id of the page, opaque to clients.
 */
export async function listChecks(
  modelId: string,
  { from, to, limit = 50, cursor }: { from?: string; to?: string; limit?: number; cursor?: string } = {},
): Promise<CheckPage> {
  const bounds = {
    ":modelId": modelId,
    ":from": from ?? "0",
    // Check ids continue past the window end with "#...", which sorts after the end itself.
    ":to": `${to ?? "9999"}#\uffff`,
  };
  const { Items, LastEvaluatedKey } = await dynamoDbClient().send(
    new QueryCommand({
      TableName: tableName(checksTable),
      KeyConditionExpression: "modelId = :modelId AND checkId BETWEEN :from AND :to",
      ExpressionAttributeValues: bounds,
      ScanIndexForward: false,
      Limit: limit,
      ...(cursor ? { ExclusiveStartKey: { modelId, checkId: cursor } } : {}),
    }),
  );
  return {
    checks: (Items ?? []).map(({ expiresAt: _, ...item }) => checkResultSchema.parse(item)),
    ...(LastEvaluatedKey ? { next: LastEvaluatedKey.checkId as string } : {}),
  };
}

/** The request counts of a model's latest checks before `before`, oldest first: the volume baseline. */
export async function trailingCounts(modelId: string, before: string, windows: number): Promise<number[]> {
  const { Items } = await dynamoDbClient().send(
    new QueryCommand({
      TableName: tableName(checksTable),
      KeyConditionExpression: "modelId = :modelId AND checkId < :before",
      ExpressionAttributeValues: { ":modelId": modelId, ":before": before },
      ProjectionExpression: "#rows",
      ExpressionAttributeNames: { "#rows": "rows" },
      ScanIndexForward: false,
      Limit: windows,
    }),
  );
  return (Items ?? []).map((item) => item.rows as number).reverse();
}

export async function findCheck(modelId: string, checkId: string): Promise<CheckResult | undefined> {
  const { Item } = await dynamoDbClient().send(
    new GetCommand({ TableName: tableName(checksTable), Key: { modelId, checkId } }),
  );
  if (!Item) return undefined;
  const { expiresAt: _, ...item } = Item;
  return checkResultSchema.parse(item);
}
