import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { authorizeModelRoute } from "#shared/auth/require-access";
import { retentionDays } from "#shared/config/environment";
import { apiHandler } from "#shared/http/api-handler";
import { readJsonBody } from "#shared/http/json-body";
import { jsonResponse } from "#shared/http/problem";
import { ingestPredictions } from "#shared/ingest/ingest-predictions";
import { validatePredictions } from "#shared/ingest/validate-predictions";
import { metrics } from "#shared/observability";
import { requireModel } from "#shared/storage/model-store";

export const handler = apiHandler(
  async (event) => {
    const modelId = authorizeModelRoute(event, "admin-or-model");
    await requireModel(modelId);
    const receivedAt = new Date();
    const records = validatePredictions(readJsonBody(event), receivedAt);
    const result = await ingestPredictions(modelId, records, receivedAt, retentionDays());
    metrics.addDimension("modelId", modelId);
    metrics.addMetric("RecordsAccepted", MetricUnit.Count, result.accepted - result.duplicates);
    metrics.addMetric("DuplicateRecords", MetricUnit.Count, result.duplicates);
    return jsonResponse(202, result);
  },
  { publishesMetrics: true },
);
