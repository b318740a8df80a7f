import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import { finishPlannedCheck } from "#shared/monitoring/fan-out";
import { logger } from "#shared/observability";
import { plannedCheckSchema } from "#shared/schemas/check-events";

/**
 * Step 3: merge the partial results, compute drift, performance, latency and traffic, store the
 * reports and the history, and evaluate the alert rules.
 */
export const handler = middy(async (event: unknown) => {
  const { result, notifications } = await finishPlannedCheck(plannedCheckSchema.parse(event), new Date());
  const { status, driftedFeatures, share } = result.drift;
  const performance = result.performance && {
    status: result.performance.status,
    dropped: result.performance.dropped,
    drop: result.performance.drop,
    estimatedAccuracy: result.performance.estimatedAccuracy,
  };
  return {
    checkId: result.checkId,
    rows: result.rows,
    drift: { status, driftedFeatures, share },
    performance,
    alerts: notifications.map(({ alertId, kind, severity, rule, feature, value }) => ({
      alertId,
      kind,
      severity,
      rule: rule.name,
      ...(feature === undefined ? {} : { feature }),
      value,
    })),
  };
}).use(injectLambdaContext(logger));
