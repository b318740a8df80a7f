import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { actOnRecords } from "#shared/alerts/act-on-records";
import { ROLLBACK_ALLOWED_ENV_VAR } from "#shared/alerts/rollback/grants";
import { rollBackModel } from "#shared/alerts/rollback/roll-back";
import { logger } from "#shared/observability";

/**
 * Rolls a model back when an alert with the rollback action fires (the rollback queue's messages):
 * once per alert episode, at most once per model per cooldown, on a target the deployment granted,
 * every attempt audited. A failure worth retrying is reported for SQS to redeliver; after the queue's
 * last receive the message lands in the alert dead-letter queue.
 */
export const handler = middy(
  async (event: SQSEvent): Promise<SQSBatchResponse> => ({
    batchItemFailures: await actOnRecords("rollback", event.Records, (notification) =>
      rollBackModel(notification, { now: new Date(), granted: process.env[ROLLBACK_ALLOWED_ENV_VAR] }),
    ),
  }),
).use(injectLambdaContext(logger));
