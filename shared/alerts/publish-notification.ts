import { PublishCommand } from "@aws-sdk/client-sns";
import { snsClient } from "#shared/aws/clients";
import { alertsTopic } from "#shared/aws/resources";
import { requiredEnv } from "#shared/config/environment";
import type { Notification, NotificationAttributes } from "#shared/schemas/alert";
import { emailMessage } from "./email-message.ts";

/**
 * Publishes a notification to the alerts topic twice: as JSON for the Slack, rollback and retrain
 * queues, and as readable text for email subscriptions (SNS mails the message as it is). The
 * attributes are what every subscription's filter policy reads.
 */
export async function publishNotification(notification: Notification): Promise<void> {
  const topicArn = requiredEnv(alertsTopic.envVar);
  const email = emailMessage(notification);
  await Promise.all([
    snsClient().send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: JSON.stringify(notification),
        MessageAttributes: attributesOf(notification, "json"),
      }),
    ),
    snsClient().send(
      new PublishCommand({
        TopicArn: topicArn,
        Subject: email.subject,
        Message: email.body,
        MessageAttributes: attributesOf(notification, "text"),
      }),
    ),
  ]);
}

function attributesOf(notification: Notification, format: "json" | "text") {
  const attributes: NotificationAttributes = {
    modelId: notification.modelId,
    severity: notification.severity,
    kind: notification.kind,
    action: notification.action,
    format,
  };
  return Object.fromEntries(
    Object.entries(attributes).map(([name, value]) => [name, { DataType: "String", StringValue: value }]),
  );
}
