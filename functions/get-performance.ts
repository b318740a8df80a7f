import { authorizeModelRoute } from "#shared/auth/require-access";
import { apiHandler } from "#shared/http/api-handler";
import { historyQueryOf } from "#shared/http/history-query";
import { jsonResponse } from "#shared/http/problem";
import { performanceView } from "#shared/monitoring/check-history-views";
import { requireModel } from "#shared/storage/model-store";

export const handler = apiHandler(async (event) => {
  const modelId = authorizeModelRoute(event, "admin-or-model");
  const query = historyQueryOf(event);
  await requireModel(modelId);
  return jsonResponse(200, await performanceView(modelId, query));
});
