import { authorizeModelRoute } from "#shared/auth/require-access";
import { apiHandler } from "#shared/http/api-handler";
import { readJsonBody } from "#shared/http/json-body";
import { jsonResponse } from "#shared/http/problem";
import { parseOrReject } from "#shared/http/validation";
import { ingestGroundTruth } from "#shared/ingest/ingest-ground-truth";
import { groundTruthBatchSchema } from "#shared/schemas/ground-truth";
import { requireModel } from "#shared/storage/model-store";

export const handler = apiHandler(async (event) => {
  const modelId = authorizeModelRoute(event, "admin-or-model");
  await requireModel(modelId);
  const { labels } = parseOrReject(
    groundTruthBatchSchema,
    readJsonBody(event),
    "Invalid ground-truth labels",
  );
  return jsonResponse(202, await ingestGroundTruth(modelId, labels, new Date()));
});
