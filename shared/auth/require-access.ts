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
