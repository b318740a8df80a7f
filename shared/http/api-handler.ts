import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy, { type MiddlewareObj } from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from "aws-lambda";
import { UnprocessedItemsError } from "#shared/aws/unprocessed-retry";
import { logger, metrics } from "#shared/observability";
import { HttpProblem, problemResponse, ServiceUnavailableProblem } from "./problem.ts";

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;

const TRANSIENT_NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EAI_AGAIN"]);

/**
 * A fault of AWS or the network that outlived the SDK's retries: the client should retry the
 * whole request later (it is idempotent), so it gets 503 with Retry-After rather than 500.
 */
function isTransientFault(error: unknown): boolean {
  if (error instanceof UnprocessedItemsError) return true;
  if (!(error instanceof Error)) return false;
  const sdk = error as Error & {
    $fault?: string;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: number };
    code?: string;
  };
  return (
    sdk.$fault === "server" ||
    (sdk.$metadata?.httpStatusCode ?? 0) >= 500 ||
    Boolean(sdk.$retryable) ||
    /Throttl|ProvisionedThroughputExceeded|RequestLimitExceeded|SlowDown|TimeoutError/.test(sdk.name) ||
    TRANSIENT_NETWORK_CODES.has(sdk.code ?? "")
  );
}

function toProblem(error: unknown): HttpProblem {
  if (error instanceof HttpProblem) return error;
  if (isTransientFault(error))
    return new ServiceUnavailableProblem("Storage is unavailable; retry the request later");
  return new HttpProblem(500, "Internal error", "An unexpected error occurred; it has been logged");
}

const problemErrors = (): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> => ({
  onError: async (request) => {
    const problem = toProblem(request.error);
    if (problem.status >= 500) logger.error("Request failed", { error: request.error as Error });
    request.response = problemResponse(problem);
  },
});

/**
 * Flushes the metrics the request recorded. Powertools' `logMetrics` flushes every request, and
 * for one that recorded none (a rejected request) warns "No application metrics to publish", even
 * with metrics disabled: a line per bad request that nobody can act on.
 */
const flushRecordedMetrics = (): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> => {
  const flush = async () => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  };
  return { after: flush, onError: flush };
};

/**
 * Wraps an HTTP handler with structured logging and problem+json errors, and flushes the
 * handler's CloudWatch metrics when it publishes any (`publishesMetrics`).
 */
export function apiHandler(handler: Handler, { publishesMetrics = false } = {}) {
  const wrapped = middy(handler).use(injectLambdaContext(logger));
  if (publishesMetrics) wrapped.use(flushRecordedMetrics());
  return wrapped.use(problemErrors());
}
