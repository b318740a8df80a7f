import { authorizeModelRoute } from "#shared/auth/require-access";
import { apiHandler } from "#shared/http/api-handler";
import { jsonResponse } from "#shared/http/problem";
import { createBaselineUpload } from "#shared/monitoring/baselines";
import { requireModel } from "#shared/storage/model-store";

export const handler = apiHandler(async (event) => {
  const modelId = authorizeModelRoute(event, "admin");
  await requireModel(modelId);
  return jsonResponse(201, await createBaselineUpload(modelId, new Date()));
});
