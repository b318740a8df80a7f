import { z } from "zod";
import { authorizeModelRoute } from "#shared/auth/require-access";
import { apiHandler } from "#shared/http/api-handler";
import { jsonResponse, NotFoundProblem } from "#shared/http/problem";
import { pathParameter } from "#shared/http/request-context";
import { baselineUploadStatus } from "#shared/monitoring/baselines";
import { requireModel } from "#shared/storage/model-store";

export const handler = apiHandler(async (event) => {
  const modelId = authorizeModelRoute(event, "admin");
  const uploadId = pathParameter(event, "uploadId");
  // Upload ids are the API's own UUIDs: anything else names no upload, and no key.
  if (!z.uuid().safeParse(uploadId).success) throw new NotFoundProblem(`No upload "${uploadId}"`);
  await requireModel(modelId);
  return jsonResponse(200, await baselineUploadStatus(modelId, uploadId));
});
