import { authorizeModelRoute } from "#shared/auth/require-access";
import { apiHandler } from "#shared/http/api-handler";
import { readOptionalJsonBody } from "#shared/http/json-body";
import { jsonResponse } from "#shared/http/problem";
import { parseOrReject } from "#shared/http/validation";
import { trailingWindow } from "#shared/monitoring/check-window";
import { GROUP_LIMITS, runCheck } from "#shared/monitoring/run-check";
import { checkRequestSchema } from "#shared/schemas/baseline";
import { requireModel } from "#shared/storage/model-store";

export const handler = apiHandler(
  async (event) => {
    const modelId = authorizeModelRoute(event, "admin");
    const { config } = await requireModel(modelId);
    const body = parseOrReject(
      checkRequestSchema,
      readOptionalJsonBody(event) ?? {},
      "Invalid check request",
    );
    const now = new Date();
    const window = body.window ?? trailingWindow(config, now);
    const { result, driftReport, performanceReport, notifications } = await runCheck(
      { modelId, window, trigger: "manual" },
      now,
      GROUP_LIMITS,
      config,
    );
    return jsonResponse(200, {
      ...result,
      driftReport: driftReport ?? null,
      performanceReport,
      notifications,
    });
  },
  { publishesMetrics: true },
);
