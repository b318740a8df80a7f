import { authorizeModelRoute } from "#shared/auth/require-access";
import { apiHandler } from "#shared/http/api-handler";
import { readOptionalJsonBody } from "#shared/http/json-body";
import { jsonResponse } from "#shared/http/problem";
import { createBaselineUpload } from "#shared/monitoring/baseline-uploads";
import { requireModel } from "#shared/storage/model-store";

export const handler = apiHandler(async (event) => {
  const modelId = authorizeModelRoute(event, "admin");
  await requireModel(modelId);
  const body = readOptionalJsonBody(event);
  return jsonResponse(201, await createBaselineUpload(modelId, body, new Date()));
});
