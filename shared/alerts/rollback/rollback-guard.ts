import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { dynamoDbClient } from "#shared/aws/clients";
import { alertActionsTable } from "#shared/aws/resources";
import { tableName } from "#shared/config/environment";
import type { Notification } from "#shared/schemas/alert";

/** A rollback taken, or refused for the one before it within the cooldown. */
export type GuardAttempt =
  | { status: "taken"; lastAt: string }
  | { status: "refused"; lastAt: string; alertId: string };

const guardKey = (modelId: string) => ({ modelId, actionKey: "rollback-guard" });

/**
 * Takes the model's rollback guard: at most one rollback per model per cooldown, so two alerts that
 * fire together, or a rule that flaps (each firing a new episode), cannot roll a model back again and
 * again. The guard's `lastAt` moves only when the last rollback is at least `cooldownSeconds` old,
 * or for the episode that holds it: a redelivery after an invocation died holding the guard.
 */
export async function takeRollbackGuard(
  notification: Notification,
  cooldownSeconds: number,
  now: Date,
): Promise<GuardAttempt> {
  const key = guardKey(notification.modelId);
  const lastAt = now.toISOString();
  try {
    await dynamoDbClient().send(
      new PutCommand({
        TableName: tableName(alertActionsTable),
        Item: {
          ...key,
          lastAt,
          alertId: notification.alertId,
          episode: notification.episode,
          cooldownSeconds,
        },
        ConditionExpression:
          "attribute_not_exists(lastAt) OR lastAt <= :cooldownStart OR (alertId = :alertId AND episode = :episode)",
        ExpressionAttributeValues: {
          ":cooldownStart": new Date(now.getTime() - cooldownSeconds * 1000).toISOString(),
          ":alertId": notification.alertId,
          ":episode": notification.episode,
        },
      }),
    );
    return { status: "taken", lastAt };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
  const { Item } = await dynamoDbClient().send(
    new GetCommand({ TableName: tableName(alertActionsTable), Key: key, ConsistentRead: true }),
  );
  // Released between the write and the read: free again.
  if (!Item) return takeRollbackGuard(notification, cooldownSeconds, now);
  return { status: "refused", lastAt: Item.lastAt as string, alertId: Item.alertId as string };
}

/**
 * Gives the guard back after a rollback that changed nothing (it failed), so the next alert is not
 * held off by it; a guard taken since by another rollback stays.
 */
export async function releaseRollbackGuard(modelId: string, takenAt: string): Promise<void> {
  try {
    await dynamoDbClient().send(
      new DeleteCommand({
        TableName: tableName(alertActionsTable),
        Key: guardKey(modelId),
        ConditionExpression: "lastAt = :takenAt",
        ExpressionAttributeValues: { ":takenAt": takenAt },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}
