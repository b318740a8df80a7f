import { requireCaller } from "#shared/auth/require-access";
import { apiHandler } from "#shared/http/api-handler";
import { jsonResponse } from "#shared/http/problem";
import { findModel, listModels } from "#shared/storage/model-store";

/** `GET /v1/models`: every model's config, by id (the admin), or the caller's own (a model token). */
export const handler = apiHandler(async (event) => {
  const principal = requireCaller(event);
  const models =
    principal.principal === "admin"
      ? await listModels()
      : [await findModel(principal.modelId)].filter((model) => model !== undefined);
  models.sort((a, b) => a.modelId.localeCompare(b.modelId));
  return jsonResponse(200, {
    models: models.map(({ modelId, config, updatedAt }) => ({ modelId, config, updatedAt })),
  });
});
