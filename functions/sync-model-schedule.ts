import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import middy from "@middy/core";
import type { DynamoDBStreamEvent } from "aws-lambda";
import {
  deleteModelSchedule,
  putModelSchedule,
  resyncAllSchedules,
} from "#shared/monitoring/model-schedules";
import { logger } from "#shared/observability";
import type { StoredModel } from "#shared/storage/model-store";

/**
 * Keeps every model's EventBridge schedule in step with its config, from the models table's stream:
 * a created or changed config (re)writes the schedule, a deleted model loses it. A failure fails the
 * batch, which the event source mapping retries and finally sends to its dead-letter queue. Invoked
 * by hand with `{"resync": true}`, it rewrites every model's schedule (see the README).
 */
export const handler = middy(async (event: DynamoDBStreamEvent | { resync: true }) => {
  if ("resync" in event) {
    const schedules = await resyncAllSchedules();
    logger.info("Check schedules resynced", { schedules });
    return { schedules };
  }
  for (const record of event.Records) {
    const image = (record.dynamodb?.NewImage ?? record.dynamodb?.OldImage) as Record<string, AttributeValue>;
    const model = unmarshall(image) as StoredModel;
    if (record.eventName === "REMOVE") await deleteModelSchedule(model.modelId);
    else await putModelSchedule(model.modelId, model.config);
    logger.info("Check schedule synced", { modelId: model.modelId, change: record.eventName });
  }
  return undefined;
}).use(injectLambdaContext(logger));
