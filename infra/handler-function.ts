import type { Construct } from "constructs";
import { API_URL_ENV_VAR } from "#shared/aws/resources";
import { MonitoringFunction } from "./constructs/monitoring-function.ts";
import type { DataStack } from "./data-stack.ts";
import { grantHandlerAccess } from "./grant-handler-access.ts";
import { handlerSpecFor } from "./handler-specs.ts";

export interface HandlerFunctionProps {
  readonly data: DataStack;
  /** Days raw logs and prediction items are kept, passed on as RETENTION_DAYS. */
  readonly retentionDays: number;
  /**
   * The API's base URL, passed to the handlers whose spec links to the API. Left out where passing it
   * would make the stacks depend on each other both ways; such a handler's messages carry no links.
   */
  readonly apiUrl?: string;
}

/**
 * The function of one handler in functions/, sized and granted exactly as its entry in
 * infra/handler-specs.ts says, under the construct id `pascalCase(handler)`.
 */
export function createHandlerFunction(
  scope: Construct,
  handler: string,
  props: HandlerFunctionProps,
): MonitoringFunction {
  const spec = handlerSpecFor(handler);
  const fn = new MonitoringFunction(scope, pascalCase(handler), {
    handler,
    retentionDays: props.retentionDays,
    memorySize: spec.memorySize,
    timeout: spec.timeout,
    alarmTopic: props.data.operationsTopic,
  });
  grantHandlerAccess(fn, spec, props.data);
  if (spec.linksToApi && props.apiUrl) fn.lambda.addEnvironment(API_URL_ENV_VAR, props.apiUrl);
  return fn;
}

/** `ingest-predictions` -> `IngestPredictions`: construct ids of a handler's function and integration. */
export function pascalCase(handler: string): string {
  return handler
    .split("-")
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join("");
}
