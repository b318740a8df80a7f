import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { actOnRecords } from "#shared/alerts/act-on-records";
import { EVENT_BUS_ENV_VAR, requestRetraining } from "#shared/alerts/retraining";
import { logger } from "#shared/observability";

/**
 * Asks for a model's retraining when an alert with the retrain action fires (the retrain queue's
 * messages): the model's retraining webhook and the deployment's event bus, once per alert episode,
 * audited. A failure worth retrying is reported for SQS to redeliver; after the queue's last receive
 * the message lands in the alert dead-letter queue.
 */
export const handler = middy(
  async (event: SQSEvent): Promise<SQSBatchResponse> => ({
    batchItemFailures: await actOnRecords("retrain", event.Records, (notification) =>
      requestRetraining(notification, {
        now: new Date(),
        eventBus: process.env[EVENT_BUS_ENV_VAR] || undefined,
      }),
    ),
  }),
).use(injectLambdaContext(logger));
