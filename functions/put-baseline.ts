import { auditName } from "#shared/auth/principal";
import { authorizeModelRoute } from "#shared/auth/require-access";
import { apiHandler } from "#shared/http/api-handler";
import { readJsonBody } from "#shared/http/json-body";
import { jsonResponse } from "#shared/http/problem";
import { principalOf } from "#shared/http/request-context";
import { setBaseline } from "#shared/monitoring/baselines";
import { requireModel } from "#shared/storage/model-store";

export const handler = apiHandler(async (event) => {
  const modelId = authorizeModelRoute(event, "admin");
  await requireModel(modelId);
  const body = readJsonBody(event);
  const result = await setBaseline(modelId, body, auditName(principalOf(event)), new Date());
  // A large upload is registered by the register-baseline worker: the client polls its status.
  if ("status" in result) return jsonResponse(202, result);
  return jsonResponse(200, { version: result.version, rows: result.rows });
});
