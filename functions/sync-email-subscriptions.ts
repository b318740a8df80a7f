import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import middy from "@middy/core";
import type { DynamoDBStreamEvent } from "aws-lambda";
import {
  type EmailSubscriptionChange,
  emailsOf,
  resyncAllEmailSubscriptions,
  syncEmailSubscriptions,
} from "#shared/alerts/email-subscriptions";
import { logger } from "#shared/observability";
import type { StoredModel } from "#shared/storage/model-store";

/**
 * Keeps the alerts topic's email subscriptions equal to the models' `alerts.emails`, from the models
 * table's stream: an address that appears is subscribed (SNS mails it a confirmation link), one that
 * disappears, or whose model is deleted, is unsubscribed. A failure fails the batch, which the event
 * source mapping retries and finally sends to its on-failure destination. Invoked by hand with
 * `{"resync": true}`, it reconciles every model's addresses.
 */
export const handler = middy(async (event: DynamoDBStreamEvent | { resync: true }) => {
  if ("resync" in event) {
    const changes = await resyncAllEmailSubscriptions();
    report(changes);
    return { changes };
  }
  const changes = event.Records.map((record) => {
    const before = imageOf(record.dynamodb?.OldImage);
    const after = record.eventName === "REMOVE" ? undefined : imageOf(record.dynamodb?.NewImage);
    return {
      modelId: (after ?? before)?.modelId as string,
      previous: emailsOf(before?.config),
      current: emailsOf(after?.config),
    };
  });
  report(await syncEmailSubscriptions(changes));
  return undefined;
}).use(injectLambdaContext(logger));

function imageOf(image: Record<string, unknown> | undefined): StoredModel | undefined {
  return image ? (unmarshall(image as Record<string, AttributeValue>) as StoredModel) : undefined;
}

function report(changes: EmailSubscriptionChange[]): void {
  for (const change of changes) {
    if (change.type === "pending" || change.type === "refused")
      logger.warn("Email subscription left as it is", { ...change });
    else logger.info("Email subscription synced", { ...change });
  }
}
