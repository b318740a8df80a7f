import { PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import { dynamoDbClient } from "#shared/aws/clients";
import { alertActionsTable } from "#shared/aws/resources";
import { tableName } from "#shared/config/environment";
import type { Notification } from "#shared/schemas/alert";

/** The actions that act once per alert episode. */
export const episodeActionSchema = z.enum(["rollback", "retrain"]);

/** How an attempt at an action ended. */
export const actionOutcomeSchema = z.enum(["done", "failed", "skipped", "suppressed"]);

export type EpisodeAction = z.infer<typeof episodeActionSchema>;
export type ActionOutcome = z.infer<typeof actionOutcomeSchema>;

/**
 * One attempt at an alert action, kept for good (no expiry): who asked (the alert, its rule and
 * value), what was acted on, how it ended and why, and the state before and after where the target
 * tells it (an alias's version before a rollback, say), so a person can see or undo what was done.
 */
export const actionAuditSchema = z.object({
  modelId: z.string(),
  actionKey: z.string(),
  action: episodeActionSchema,
  at: z.string(),
  alertId: z.string(),
  episode: z.int(),
  notificationId: z.string(),
  rule: z.string(),
  metric: z.string(),
  feature: z.string().optional(),
  value: z.number().nullable(),
  target: z.record(z.string(), z.unknown()),
  outcome: actionOutcomeSchema,
  detail: z.string(),
  before: z.record(z.string(), z.unknown()).optional(),
  after: z.record(z.string(), z.unknown()).optional(),
});

export type ActionAudit = z.infer<typeof actionAuditSchema>;

export interface AuditEntry {
  action: EpisodeAction;
  notification: Notification;
  /** What was acted on, with webhook URLs cut to their origin. */
  target: Record<string, unknown>;
  outcome: ActionOutcome;
  detail: string;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  at: Date;
}

const auditPrefix = (action: EpisodeAction) => `${action}-audit#`;

/** Appends an attempt to the model's audit, under `<action>-audit#<ISO time>#<alertId>`. */
export async function recordAudit(entry: AuditEntry): Promise<ActionAudit> {
  const { notification, at } = entry;
  const audit: ActionAudit = {
    modelId: notification.modelId,
    actionKey: `${auditPrefix(entry.action)}${at.toISOString()}#${notification.alertId}`,
    action: entry.action,
    at: at.toISOString(),
    alertId: notification.alertId,
    episode: notification.episode,
    notificationId: notification.notificationId,
    rule: notification.rule.name,
    metric: notification.rule.metric,
    feature: notification.feature,
    value: notification.value,
    target: entry.target,
    outcome: entry.outcome,
    detail: entry.detail,
    before: entry.before,
    after: entry.after,
  };
  await dynamoDbClient().send(new PutCommand({ TableName: tableName(alertActionsTable), Item: audit }));
  return audit;
}

/** A model's audit of one action, oldest first. */
export async function auditTrail(modelId: string, action: EpisodeAction): Promise<ActionAudit[]> {
  const audits: ActionAudit[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await dynamoDbClient().send(
      new QueryCommand({
        TableName: tableName(alertActionsTable),
        KeyConditionExpression: "modelId = :modelId AND begins_with(actionKey, :prefix)",
        ExpressionAttributeValues: { ":modelId": modelId, ":prefix": auditPrefix(action) },
        ExclusiveStartKey: start,
        ConsistentRead: true,
      }),
    );
    audits.push(...(page.Items ?? []).map((item) => actionAuditSchema.parse(item)));
    start = page.LastEvaluatedKey;
  } while (start);
  return audits;
}
