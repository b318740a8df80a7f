import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import { summarizeGroupItem } from "#shared/monitoring/fan-out";
import { logger } from "#shared/observability";
import { groupItemSchema } from "#shared/schemas/check-events";

/** Step 2 (one invocation per map item): summarise a group of log objects into a partial result in S3. */
export const handler = middy(async (event: unknown) => summarizeGroupItem(groupItemSchema.parse(event))).use(
  injectLambdaContext(logger),
);
