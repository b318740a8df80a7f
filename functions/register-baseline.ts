import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { baselineRegistrationQueue } from "#shared/aws/resources";
import { registerQueuedUpload } from "#shared/monitoring/baselines";
import { logger } from "#shared/observability";
import { baselineRegistrationMessageSchema } from "#shared/schemas/baseline";

/**
 * Registers the large uploads `PUT .../baseline` queued (one message per invocation): checks every
 * line, stores the version and deletes the upload, or marks the upload failed for bad input. A fault
 * is reported as the message's failure, for SQS to redeliver after the visibility timeout; after the
 * queue's last receive it lands in the dead-letter queue.
 */
export const handler = middy(async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const batchItemFailures: SQSBatchItemFailure[] = [];
  for (const record of event.Records) {
    try {
      const message = baselineRegistrationMessageSchema.parse(JSON.parse(record.body));
      const finalAttempt =
        Number(record.attributes.ApproximateReceiveCount) >= baselineRegistrationQueue.maxReceiveCount;
      const outcome = await registerQueuedUpload(message, { now: new Date(), finalAttempt });
      if (outcome.status === "registered") {
        logger.info("Baseline upload registered", {
          modelId: message.modelId,
          uploadId: message.uploadId,
          version: outcome.version.version,
          rows: outcome.version.rows,
        });
      } else {
        logger.warn("Baseline upload refused", { ...message, error: outcome.error });
      }
    } catch (error) {
      logger.error("Baseline registration failed", { messageId: record.messageId, error: error as Error });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}).use(injectLambdaContext(logger));
