/**
 * The HTTP API's routes and the Lambda handler behind each: API Gateway (infra/) and the local
 * server (scripts/start.ts) are both built from this list, so they serve the same surface.
 */

export type HttpMethod = "GET" | "PUT" | "POST" | "DELETE";

export interface RouteDefinition {
  method: HttpMethod;
  /** API Gateway path syntax, e.g. `/v1/models/{modelId}`. */
  path: string;
  /** File name (without extension) of the handler in functions/. */
  handler: string;
  /** Whether the bearer-token authorizer runs before the handler. */
  authorized: boolean;
}

export const routes: readonly RouteDefinition[] = [
  { method: "GET", path: "/health", handler: "get-health", authorized: false },
  { method: "GET", path: "/metrics", handler: "get-metrics", authorized: true },
  { method: "GET", path: "/v1/models", handler: "list-models", authorized: true },
  { method: "PUT", path: "/v1/models/{modelId}", handler: "put-model-config", authorized: true },
  { method: "GET", path: "/v1/models/{modelId}", handler: "get-model-config", authorized: true },
  { method: "POST", path: "/v1/models/{modelId}/tokens", handler: "create-model-token", authorized: true },
  {
    method: "DELETE",
    path: "/v1/models/{modelId}/tokens/{tokenId}",
    handler: "revoke-model-token",
    authorized: true,
  },
  {
    method: "POST",
    path: "/v1/models/{modelId}/predictions",
    handler: "ingest-predictions",
    authorized: true,
  },
  {
    method: "POST",
    path: "/v1/models/{modelId}/ground-truth",
    handler: "ingest-ground-truth",
    authorized: true,
  },
  { method: "PUT", path: "/v1/models/{modelId}/baseline", handler: "put-baseline", authorized: true },
  { method: "GET", path: "/v1/models/{modelId}/baseline", handler: "get-baseline", authorized: true },
  {
    method: "POST",
    path: "/v1/models/{modelId}/baseline/uploads",
    handler: "create-baseline-upload",
    authorized: true,
  },
  {
    method: "GET",
    path: "/v1/models/{modelId}/baseline/uploads/{uploadId}",
    handler: "get-baseline-upload",
    authorized: true,
  },
  { method: "POST", path: "/v1/models/{modelId}/checks", handler: "run-checks", authorized: true },
  { method: "GET", path: "/v1/models/{modelId}/drift", handler: "get-drift", authorized: true },
  {
    method: "GET",
    path: "/v1/models/{modelId}/distributions",
    handler: "get-distributions",
    authorized: true,
  },
  { method: "GET", path: "/v1/models/{modelId}/latency", handler: "get-latency", authorized: true },
  {
    method: "GET",
    path: "/v1/models/{modelId}/performance",
    handler: "get-performance",
    authorized: true,
  },
  { method: "GET", path: "/v1/alerts", handler: "get-alerts", authorized: true },
  { method: "POST", path: "/v1/alerts/{alertId}/ack", handler: "acknowledge-alert", authorized: true },
];

/** The Lambda authorizer's handler file in functions/. */
export const authorizerHandler = "authorize-request";

/** The distinct handler files behind the routes, one Lambda function each. */
export const routeHandlers = [...new Set(routes.map((route) => route.handler))];
