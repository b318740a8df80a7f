import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type {
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerWithContextResult,
} from "aws-lambda";
import { adminToken } from "#shared/auth/admin-token";
import type { Principal } from "#shared/auth/principal";
import { resolvePrincipal } from "#shared/auth/resolve-principal";
import { logger } from "#shared/observability";
import { findToken } from "#shared/storage/token-store";

/**
 * Resolves the bearer token to a principal and never denies: the handlers answer 401/403 with
 * problem+json themselves (API Gateway's own deny is a bare 403, the contract wants 401 for a
 * revoked or malformed token). API Gateway caches the answer per token.
 */
export const handler = middy(
  async (
    event: APIGatewayRequestAuthorizerEventV2,
  ): Promise<APIGatewaySimpleAuthorizerWithContextResult<Principal>> => ({
    isAuthorized: true,
    context: await resolvePrincipal(event.headers?.authorization, { adminToken, findToken }),
  }),
).use(injectLambdaContext(logger));
