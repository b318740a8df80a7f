import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { dynamoDbClient } from "#shared/aws/clients";
import { alertActionsTable } from "#shared/aws/resources";
import { tableName } from "#shared/config/environment";
import type { Notification } from "#shared/schemas/alert";

/** How long a delivery is remembered: longer than any redelivery of its message. */
const MARKER_DAYS = 14;

const markerKey = (notification: Notification, channel: string) => ({
  modelId: notification.modelId,
  actionKey: `delivery#${channel}#${notification.notificationId}`,
});

/**
 * Whether `channel` already delivered this notification: SNS and SQS deliver at least once, and a
 * retried check may publish a notification again, so a subscriber checks before it acts.
 */
export async function wasDelivered(notification: Notification, channel: string): Promise<boolean> {
  const { Item } = await dynamoDbClient().send(
    new GetCommand({
      TableName: tableName(alertActionsTable),
      Key: markerKey(notification, channel),
      ConsistentRead: true,
    }),
  );
  return Item !== undefined;
}

/** Remembers that `channel` delivered this notification. */
export async function markDelivered(notification: Notification, channel: string, at: Date): Promise<void> {
  await dynamoDbClient().send(
    new PutCommand({
      TableName: tableName(alertActionsTable),
      Item: {
        ...markerKey(notification, channel),
        deliveredAt: at.toISOString(),
        expiresAt: Math.floor(at.getTime() / 1000) + MARKER_DAYS * 86_400,
      },
    }),
  );
}
