import { authorizeModelRoute } from "#shared/auth/require-access";
import { apiHandler } from "#shared/http/api-handler";
import { jsonResponse } from "#shared/http/problem";
import { listBaselines } from "#shared/storage/baseline-store";
import { requireModel } from "#shared/storage/model-store";

export const handler = apiHandler(async (event) => {
  const modelId = authorizeModelRoute(event, "admin-or-model");
  await requireModel(modelId);
  const versions = await listBaselines(modelId);
  return jsonResponse(200, { current: versions[0] ?? null, versions });
});
