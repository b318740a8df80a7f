import { authorizeModelRoute } from "#shared/auth/require-access";
import { apiHandler } from "#shared/http/api-handler";
import { jsonResponse } from "#shared/http/problem";
import { requireModel } from "#shared/storage/model-store";

export const handler = apiHandler(async (event) => {
  const modelId = authorizeModelRoute(event, "admin-or-model");
  const { config } = await requireModel(modelId);
  return jsonResponse(200, config);
});
