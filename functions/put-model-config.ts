import { authorizeModelRoute } from "#shared/auth/require-access";
import { apiHandler } from "#shared/http/api-handler";
import { readJsonBody } from "#shared/http/json-body";
import { jsonResponse } from "#shared/http/problem";
import { parseOrReject } from "#shared/http/validation";
import { modelConfigSchema } from "#shared/schemas/model-config";
import { saveModel } from "#shared/storage/model-store";

export const handler = apiHandler(async (event) => {
  const modelId = authorizeModelRoute(event, "admin");
  const config = parseOrReject(modelConfigSchema, readJsonBody(event), "Invalid model configuration");
  await saveModel({ modelId, config, updatedAt: new Date().toISOString() });
  return jsonResponse(200, config);
});
