import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { GetCommand, PutCommand, QueryCommand, ScanCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { dynamoDbClient } from "#shared/aws/clients";
import { alertsTable } from "#shared/aws/resources";
import { tableName } from "#shared/config/environment";
import { type Alert, type AlertState, alertSchema } from "#shared/schemas/alert";

/** Another writer changed the alert since it was read: read it again and decide again. */
export class AlertConflictError extends Error {
  constructor(alertId: string) {
    super(`Alert ${alertId} changed while it was being evaluated`);
    this.name = "AlertConflictError";
  }
}

/** Every alert of a model, whatever its state. */
export async function modelAlerts(modelId: string): Promise<Alert[]> {
  const alerts: Alert[] = [];
  let cursor: Record<string, unknown> | undefined;
  do {
    const { Items, LastEvaluatedKey } = await dynamoDbClient().send(
      new QueryCommand({
        TableName: tableName(alertsTable),
        KeyConditionExpression: "modelId = :modelId",
        ExpressionAttributeValues: { ":modelId": modelId },
        ConsistentRead: true,
        ExclusiveStartKey: cursor,
      }),
    );
    alerts.push(...(Items ?? []).map((item) => alertSchema.parse(item)));
    cursor = LastEvaluatedKey;
  } while (cursor);
  return alerts;
}

export async function findAlert(modelId: string, alertKey: string): Promise<Alert | undefined> {
  const { Item } = await dynamoDbClient().send(
    new GetCommand({ TableName: tableName(alertsTable), Key: { modelId, alertKey }, ConsistentRead: true }),
  );
  return Item ? alertSchema.parse(Item) : undefined;
}

/**
 * Writes the alert as the next version of what was read (`alert.version` is that version; the
 * stored one becomes `version + 1`), or as a new alert when `alert.version` is 0.
 *
 * @throws AlertConflictError when another writer got there first
 */
export async function saveAlert(alert: Alert): Promise<Alert> {
  const stored = { ...alert, version: alert.version + 1 };
  try {
    await dynamoDbClient().send(
      new PutCommand({
        TableName: tableName(alertsTable),
        Item: stored,
        ConditionExpression: alert.version === 0 ? "attribute_not_exists(modelId)" : "#version = :version",
        ...(alert.version === 0
          ? {}
          : {
              ExpressionAttributeNames: { "#version": "version" },
              ExpressionAttributeValues: { ":version": alert.version },
            }),
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) throw new AlertConflictError(alert.alertId);
    throw error;
  }
  return stored;
}

/**
 * Takes published notifications out of an alert's outbox. It counts as a change (the version moves
 * on), so a writer holding the outbox as it was before cannot put them back.
 */
export async function removeFromOutbox(
  alert: Pick<Alert, "modelId" | "alertKey">,
  ids: string[],
): Promise<void> {
  if (ids.length === 0) return;
  const names = Object.fromEntries(ids.map((id, index) => [`#n${index}`, id]));
  await dynamoDbClient()
    .send(
      new UpdateCommand({
        TableName: tableName(alertsTable),
        Key: { modelId: alert.modelId, alertKey: alert.alertKey },
        UpdateExpression: `REMOVE ${ids.map((_, index) => `outbox.#n${index}`).join(", ")} SET #version = #version + :one`,
        ConditionExpression: "attribute_exists(outbox)",
        ExpressionAttributeNames: { ...names, "#version": "version" },
        ExpressionAttributeValues: { ":one": 1 },
      }),
    )
    .catch((error: unknown) => {
      // Already emptied by another writer that published them too.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    });
}

export type AcknowledgeOutcome = { acknowledged: Alert } | { notFound: true } | { notFiring: Alert };

/** Silences a firing alert until it resolves. */
export async function acknowledgeAlert(
  modelId: string,
  alertKey: string,
  by: string,
  at: Date,
): Promise<AcknowledgeOutcome> {
  try {
    const { Attributes } = await dynamoDbClient().send(
      new UpdateCommand({
        TableName: tableName(alertsTable),
        Key: { modelId, alertKey },
        UpdateExpression:
          "SET #state = :acknowledged, acknowledgedAt = :at, acknowledgedBy = :by, updatedAt = :at, #version = #version + :one",
        ConditionExpression: "#state = :firing",
        ExpressionAttributeNames: { "#state": "state", "#version": "version" },
        ExpressionAttributeValues: {
          ":acknowledged": "acknowledged",
          ":firing": "firing",
          ":at": at.toISOString(),
          ":by": by,
          ":one": 1,
        },
        ReturnValues: "ALL_NEW",
      }),
    );
    return { acknowledged: alertSchema.parse(Attributes) };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const current = await findAlert(modelId, alertKey);
    return current && current.state !== "pending" ? { notFiring: current } : { notFound: true };
  }
}

export interface AlertFilter {
  modelId?: string;
  /** Without one, every state but `pending` (a rule breaching, not yet an alert). */
  state?: AlertState;
  limit: number;
  cursor?: string;
}

export interface AlertPage {
  alerts: Alert[];
  /** Pass as `cursor` for the next page; absent on the last one. */
  next?: string;
}

/** Alerts of one model (a query) or of all (a scan), a page at a time. */
export async function listAlerts(filter: AlertFilter): Promise<AlertPage> {
  const states = filter.state ? [filter.state] : (["firing", "acknowledged", "resolved"] as const);
  const stateNames = states.map((_, index) => `:s${index}`);
  const common = {
    TableName: tableName(alertsTable),
    FilterExpression: `#state IN (${stateNames.join(", ")})`,
    ExpressionAttributeNames: { "#state": "state" },
    Limit: filter.limit,
    ...(filter.cursor ? { ExclusiveStartKey: decodeCursor(filter.cursor) } : {}),
  };
  const stateValues = Object.fromEntries(states.map((state, index) => [`:s${index}`, state]));
  const alerts: Alert[] = [];
  let start = common.ExclusiveStartKey;
  // A filtered page may come back short or empty: read on until it is full or the data ends.
  do {
    const page = { ...common, Limit: filter.limit - alerts.length, ExclusiveStartKey: start };
    const { Items, LastEvaluatedKey } = await dynamoDbClient().send(
      filter.modelId
        ? new QueryCommand({
            ...page,
            KeyConditionExpression: "modelId = :modelId",
            ExpressionAttributeValues: { ...stateValues, ":modelId": filter.modelId },
          })
        : new ScanCommand({ ...page, ExpressionAttributeValues: stateValues }),
    );
    alerts.push(...(Items ?? []).map((item) => alertSchema.parse(item)));
    start = LastEvaluatedKey as Record<string, string> | undefined;
  } while (start && alerts.length < filter.limit);
  return { alerts, ...(start ? { next: encodeCursor(start) } : {}) };
}

/** A cursor that is not one this store handed out. */
export class InvalidCursorError extends Error {
  constructor() {
    super("cursor is not one a previous page returned");
    this.name = "InvalidCursorError";
  }
}

const encodeCursor = (key: Record<string, string>) => Buffer.from(JSON.stringify(key)).toString("base64url");

function decodeCursor(cursor: string): Record<string, string> {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString());
    if (key && typeof key === "object" && Object.values(key).every((part) => typeof part === "string")) {
      return key as Record<string, string>;
    }
  } catch {
    // Not JSON: reported below like any other foreign cursor.
  }
  throw new InvalidCursorError();
}
