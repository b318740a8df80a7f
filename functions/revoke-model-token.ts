import { authorizeModelRoute } from "#shared/auth/require-access";
import { apiHandler } from "#shared/http/api-handler";
import { NotFoundProblem } from "#shared/http/problem";
import { pathParameter } from "#shared/http/request-context";
import { revokeToken } from "#shared/storage/token-store";

export const handler = apiHandler(async (event) => {
  const modelId = authorizeModelRoute(event, "admin");
  const tokenId = pathParameter(event, "tokenId");
  if (!(await revokeToken(modelId, tokenId, new Date()))) {
    throw new NotFoundProblem(`Model "${modelId}" has no token "${tokenId}"`);
  }
  return { statusCode: 204 };
});
