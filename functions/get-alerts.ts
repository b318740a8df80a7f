import { z } from "zod";
import { alertView } from "#shared/alerts/alert-view";
import { requireAccess, requireCaller } from "#shared/auth/require-access";
import { apiHandler } from "#shared/http/api-handler";
import { jsonResponse, ValidationProblem } from "#shared/http/problem";
import { parseOrReject } from "#shared/http/validation";
import { alertStateSchema } from "#shared/schemas/alert";
import { modelIdSchema } from "#shared/schemas/model-id";
import { InvalidCursorError, listAlerts } from "#shared/storage/alert-store";

const alertQuerySchema = z.strictObject({
  model: modelIdSchema.optional(),
  state: alertStateSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().min(1).max(2000).optional(),
});

/** `GET /v1/alerts?model=&state=&limit=&cursor=`: a model token sees its own model's alerts only. */
export const handler = apiHandler(async (event) => {
  const principal = requireCaller(event);
  const query = parseOrReject(
    alertQuerySchema,
    event.queryStringParameters ?? {},
    "Invalid query parameters",
  );
  const modelId = query.model ?? (principal.principal === "model" ? principal.modelId : undefined);
  if (modelId) requireAccess(principal, modelId, "admin-or-model");
  try {
    const page = await listAlerts({ ...query, modelId });
    return jsonResponse(200, {
      alerts: page.alerts.map(alertView),
      ...(page.next ? { next: page.next } : {}),
    });
  } catch (error) {
    if (error instanceof InvalidCursorError) {
      throw new ValidationProblem("Invalid query parameters", [{ path: "cursor", message: error.message }]);
    }
    throw error;
  }
});
