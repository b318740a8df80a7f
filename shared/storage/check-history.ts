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

/**
 * The request counts of a model's latest scheduled checks before `before`, oldest first: the volume
 * baseline. Manual checks are left out: they cover whatever window was asked for, not the schedule's.
 */
export async function trailingCounts(modelId: string, before: string, windows: number): Promise<number[]> {
  const counts: number[] = [];
  let start: Record<string, unknown> | undefined;
  // The filter applies after the limit, so a page may hold fewer scheduled checks than asked for.
  do {
    const { Items, LastEvaluatedKey } = await dynamoDbClient().send(
      new QueryCommand({
        TableName: tableName(checksTable),
        KeyConditionExpression: "modelId = :modelId AND checkId < :before",
        FilterExpression: "#trigger = :scheduled",
        ExpressionAttributeValues: { ":modelId": modelId, ":before": before, ":scheduled": "scheduled" },
        ProjectionExpression: "#rows",
        ExpressionAttributeNames: { "#rows": "rows", "#trigger": "trigger" },
        ScanIndexForward: false,
        Limit: windows,
        ExclusiveStartKey: start,
      }),
    );
    counts.push(...(Items ?? []).map((item) => item.rows as number));
    start = LastEvaluatedKey;
  } while (start && counts.length < windows);
  return counts.slice(0, windows).reverse();
}

export async function findCheck(modelId: string, checkId: string): Promise<CheckResult | undefined> {
  const { Item } = await dynamoDbClient().send(
    new GetCommand({ TableName: tableName(checksTable), Key: { modelId, checkId } }),
  );
  if (!Item) return undefined;
  const { expiresAt: _, ...item } = Item;
  return checkResultSchema.parse(item);
}

/** What the performance check reads of a past check: its window, its rows and its accuracy estimate. */
export interface CheckWindowSummary {
  checkId: string;
  window: CheckResult["window"];
  rows: number;
  estimatedAccuracy: number | null;
}

/**
 * The windows of a model's checks that ended in [from, to], newest first, at most `max`: only the
 * attributes the performance check needs, so a month of hourly checks is read as a few kilobytes.
 */
export async function checkWindows(
  modelId: string,
  { from, to, max }: { from: string; to: string; max: number },
): Promise<CheckWindowSummary[]> {
  const windows: CheckWindowSummary[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const { Items, LastEvaluatedKey } = await dynamoDbClient().send(
      new QueryCommand({
        TableName: tableName(checksTable),
        KeyConditionExpression: "modelId = :modelId AND checkId BETWEEN :from AND :to",
        ExpressionAttributeValues: { ":modelId": modelId, ":from": from, ":to": `${to}#\uffff` },
        ProjectionExpression: "checkId, #window, #rows, #metrics.#estimate",
        ExpressionAttributeNames: {
          "#window": "window",
          "#rows": "rows",
          "#metrics": "metrics",
          "#estimate": "performance.estimatedAccuracy",
        },
        ScanIndexForward: false,
        Limit: max - windows.length,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of Items ?? []) {
      const estimate = (item.metrics as Record<string, number | null> | undefined)?.[
        "performance.estimatedAccuracy"
      ];
      windows.push({
        checkId: item.checkId as string,
        window: item.window as CheckResult["window"],
        rows: item.rows as number,
        estimatedAccuracy: estimate ?? null,
      });
    }
    start = LastEvaluatedKey;
  } while (start && windows.length < max);
  return windows;
}
