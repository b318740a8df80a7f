import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { ForbiddenProblem, UnauthorizedProblem } from "#shared/http/problem";
import { modelIdOf, principalOf } from "#shared/http/request-context";
import type { Principal } from "./principal.ts";

/** Who may call a route: the admin alone, or the admin and the model's own tokens. */
export type Audience = "admin" | "admin-or-model";

export function requireAccess(principal: Principal, modelId: string, audience: Audience): void {
  switch (principal.principal) {
    case "anonymous":
      throw new UnauthorizedProblem(principal.reason);
    case "admin":
      return;
    case "model":
      if (audience === "admin") throw new ForbiddenProblem("This route needs the admin token");
      if (principal.modelId !== modelId) {
        throw new ForbiddenProblem(`This token is scoped to model "${principal.modelId}", not "${modelId}"`);
      }
  }
}

/** A caller the authorizer identified: the admin or a model token. */
export type Caller = Exclude<Principal, { principal: "anonymous" }>;

/**
 * The check a route about no one model starts with (`/metrics`, and as well `GET /v1/models` or
 * `/v1/alerts`): any valid token may call it (401 without one); the route scopes what a model token sees.
 */
export function requireCaller(event: APIGatewayProxyEventV2): Caller {
  const principal = principalOf(event);
  if (principal.principal === "anonymous") throw new UnauthorizedProblem(principal.reason);
  return principal;
}

/**
 * The checks every `/v1/models/{modelId}` route starts with, in the order a client can act on:
 * who are you (401), is the model id valid (400), may you touch it (403). Returns the model id.
 */
export function authorizeModelRoute(event: APIGatewayProxyEventV2, audience: Audience): string {
  const principal = principalOf(event);
  if (principal.principal === "anonymous") throw new UnauthorizedProblem(principal.reason);
  const modelId = modelIdOf(event);
  requireAccess(principal, modelId, audience);
  return modelId;
}
