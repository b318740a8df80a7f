import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { deliverToSlack } from "#shared/alerts/slack-delivery";
import { logger } from "#shared/observability";

/**
 * Posts the notifications of warning and above to Slack (the slack delivery queue's messages), each
 * once. A message that failed is reported for SQS to redeliver; after the queue's last receive it
 * lands in the alert dead-letter queue.
 */
export const handler = middy(
  async (event: SQSEvent): Promise<SQSBatchResponse> => ({
    batchItemFailures: await deliverToSlack(event.Records),
  }),
).use(injectLambdaContext(logger));
