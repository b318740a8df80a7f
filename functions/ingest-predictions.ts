import { authorizeModelRoute } from "#shared/auth/require-access";
import { retentionDays } from "#shared/config/environment";
import { apiHandler } from "#shared/http/api-handler";
import { readJsonBody } from "#shared/http/json-body";
import { jsonResponse } from "#shared/http/problem";
import { ingestPredictions } from "#shared/ingest/ingest-predictions";
import { publishIngestMetrics } from "#shared/ingest/publish-ingest-metrics";
import { validatePredictions } from "#shared/ingest/validate-predictions";
import { requireModel } from "#shared/storage/model-store";

export const handler = apiHandler(
  async (event) => {
    const modelId = authorizeModelRoute(event, "admin-or-model");
    await requireModel(modelId);
    const receivedAt = new Date();
    const predictions = validatePredictions(readJsonBody(event), receivedAt);
    const result = await ingestPredictions(modelId, predictions, receivedAt, retentionDays());
    publishIngestMetrics(modelId, result);
    return jsonResponse(202, result);
  },
  { publishesMetrics: true },
);
