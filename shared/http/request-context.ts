import type { APIGatewayProxyEventV2, APIGatewayProxyEventV2WithLambdaAuthorizer } from "aws-lambda";
import { type Principal, principalSchema } from "#shared/auth/principal";
import { modelIdSchema } from "#shared/schemas/model-id";
import { ValidationProblem } from "./problem.ts";

/** The caller the authorizer resolved; absent context (a route without authorizer) is anonymous. */
export function principalOf(event: APIGatewayProxyEventV2): Principal {
  const context = (event as APIGatewayProxyEventV2WithLambdaAuthorizer<unknown>).requestContext.authorizer
    ?.lambda;
  const parsed = principalSchema.safeParse(context);
  return parsed.success ? parsed.data : { principal: "anonymous", reason: "Missing bearer token" };
}

export function pathParameter(event: APIGatewayProxyEventV2, name: string): string {
  return event.pathParameters?.[name] ?? "";
}

/** The `{modelId}` path parameter, validated before it can reach a storage key. */
export function modelIdOf(event: APIGatewayProxyEventV2): string {
  const modelId = pathParameter(event, "modelId");
  const parsed = modelIdSchema.safeParse(modelId);
  if (!parsed.success) {
    throw new ValidationProblem("Invalid model id", [
      { path: "modelId", message: parsed.error.issues[0]?.message ?? "invalid" },
    ]);
  }
  return parsed.data;
}
