import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { getSecret } from "@aws-lambda-powertools/parameters/secrets";
import type { SQSBatchItemFailure, SQSRecord } from "aws-lambda";
import { secretsManagerClient } from "#shared/aws/clients";
import { slackWebhookSecret } from "#shared/aws/resources";
import { MissingConfigurationError } from "#shared/config/environment";
import { ApiFailedError, describeAnswer, type RetryPolicy, withRetries } from "#shared/http/with-retries";
import { logger, metrics } from "#shared/observability";
import type { Notification } from "#shared/schemas/alert";
import { markDelivered, wasDelivered } from "#shared/storage/delivery-markers";
import { notificationOf } from "./notification-record.ts";
import { WEBHOOK_RETRY_POLICY } from "./post-webhook.ts";
import { slackMessage, slackMessageAsText } from "./slack-message.ts";

/** The channel name of the delivery markers. */
export const SLACK_CHANNEL = "slack";

// Cached so a warm function costs no Secrets Manager call; a replaced webhook is picked up within this.
const SECRET_CACHE_SECONDS = 300;

/** Slack refused the message itself (400 invalid_payload, 403, 404 no_service, 410 channel archived). */
class SlackRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SlackRefusedError";
  }
}

export interface SlackDeliveryOptions {
  /** @default WEBHOOK_RETRY_POLICY */
  policy?: RetryPolicy;
}

/**
 * Posts each record's notification to Slack, once: a notification already delivered is skipped, and
 * one posted is remembered. Records are delivered side by side, so a batch takes as long as its
 * slowest record. Without a webhook configured, the message is printed to stdout instead.
 *
 * @returns the records that failed (logged and counted as `SlackDeliveryFailures`), for SQS to
 *   redeliver and, after the queue's last receive, move to the alert dead-letter queue
 */
export async function deliverToSlack(
  records: SQSRecord[],
  { policy = WEBHOOK_RETRY_POLICY }: SlackDeliveryOptions = {},
): Promise<SQSBatchItemFailure[]> {
  const delivered = await Promise.all(records.map((record) => deliverRecord(record, policy)));
  return records
    .filter((_, index) => !delivered[index])
    .map((record) => ({ itemIdentifier: record.messageId }));
}

/**
 * The Slack incoming-webhook URL: from Secrets Manager on AWS, from SLACK_WEBHOOK_URL locally;
 * undefined when neither is set.
 */
export async function slackWebhookUrl(): Promise<string | undefined> {
  const secretArn = process.env[slackWebhookSecret.envVar];
  if (secretArn) {
    const value = await getSecret(secretArn, {
      maxAge: SECRET_CACHE_SECONDS,
      awsSdkV3Client: secretsManagerClient(),
    });
    if (typeof value === "string" && value.trim()) return value.trim();
    throw new MissingConfigurationError(`${slackWebhookSecret.envVar} (the secret is empty)`);
  }
  return process.env[slackWebhookSecret.localEnvVar] || undefined;
}

/** Whether the record's notification is delivered now (or was already). */
async function deliverRecord(record: SQSRecord, policy: RetryPolicy): Promise<boolean> {
  let notification: Notification | undefined;
  try {
    notification = notificationOf(record);
    if (await wasDelivered(notification, SLACK_CHANNEL)) {
      logger.info("Slack message already delivered", idsOf(notification));
      return true;
    }
    const webhookUrl = await slackWebhookUrl();
    if (webhookUrl) {
      await post(webhookUrl, notification, policy);
    } else {
      process.stdout.write(
        `Slack message (${slackWebhookSecret.localEnvVar} is not set, so it is printed instead):\n${slackMessageAsText(notification)}\n\n`,
      );
    }
    await markDelivered(notification, SLACK_CHANNEL, new Date());
    logger.info("Slack message delivered", idsOf(notification));
    return true;
  } catch (error) {
    const context = {
      messageId: record.messageId,
      receiveCount: Number(record.attributes.ApproximateReceiveCount),
      ...(notification && idsOf(notification)),
      error: error as Error,
    };
    if (error instanceof SlackRefusedError) {
      logger.error(
        "Slack refused the message: a configuration problem (is the webhook URL in the Slack secret still valid?); every redelivery will fail alike, then it moves to the alert dead-letter queue",
        context,
      );
    } else {
      logger.error("Slack delivery failed; SQS redelivers the message", context);
    }
    metrics.singleMetric().addMetric("SlackDeliveryFailures", MetricUnit.Count, 1);
    return false;
  }
}

/**
 * Posts the message, retrying throttling (honouring Retry-After), server faults and network errors.
 *
 * @throws SlackRefusedError for a 4xx other than 429; ApiFailedError once the retries are spent
 */
async function post(webhookUrl: string, notification: Notification, policy: RetryPolicy): Promise<void> {
  const body = JSON.stringify(slackMessage(notification));
  // The URL is the secret: messages name the notification, never the webhook.
  const what = `the Slack message ${notification.notificationId}`;
  const answer = await withRetries(
    () =>
      fetch(webhookUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
        signal: AbortSignal.timeout(policy.timeoutMs),
      }),
    {
      what,
      policy,
      retryable: (status) => status === 429 || status >= 500,
      onRetry: (note) => logger.warn("Slack delivery retry", { ...idsOf(notification), note }),
    },
  );
  if (answer.status >= 200 && answer.status < 300) return;
  const failure = `Slack answered ${describeAnswer(answer)} to ${what}`;
  if (answer.status >= 400 && answer.status < 500) throw new SlackRefusedError(failure);
  throw new ApiFailedError(failure);
}

function idsOf(notification: Notification) {
  return {
    modelId: notification.modelId,
    alertId: notification.alertId,
    notificationId: notification.notificationId,
  };
}
