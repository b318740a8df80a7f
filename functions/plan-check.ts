import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import { planScheduledCheck } from "#shared/monitoring/fan-out";
import { logger } from "#shared/observability";
import { scheduledCheckEventSchema } from "#shared/schemas/check-events";

/** Step 1 of the scheduled check (state machine): list the window's log objects, split them into groups. */
export const handler = middy(async (event: unknown) => {
  const { modelId, scheduledTime } = scheduledCheckEventSchema.parse(event);
  return planScheduledCheck(modelId, new Date(scheduledTime));
}).use(injectLambdaContext(logger));
