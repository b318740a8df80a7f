import { mintModelToken, sha256 } from "#shared/auth/api-token";
import { authorizeModelRoute } from "#shared/auth/require-access";
import { apiHandler } from "#shared/http/api-handler";
import { jsonResponse } from "#shared/http/problem";
import { requireModel } from "#shared/storage/model-store";
import { saveToken } from "#shared/storage/token-store";

export const handler = apiHandler(async (event) => {
  const modelId = authorizeModelRoute(event, "admin");
  await requireModel(modelId);
  const { tokenId, secret, token } = mintModelToken();
  await saveToken({ tokenId, modelId, secretHash: sha256(secret), createdAt: new Date().toISOString() });
  return jsonResponse(201, { token, tokenId, modelId });
});
