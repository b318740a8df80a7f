import { z } from "zod";
import { authorizeModelRoute } from "#shared/auth/require-access";
import { apiHandler } from "#shared/http/api-handler";
import { jsonResponse, NotFoundProblem } from "#shared/http/problem";
import { parseOrReject } from "#shared/http/validation";
import { checkDistributionsSchema } from "#shared/schemas/distributions";
import { findCheck, listChecks } from "#shared/storage/check-history";
import { getJsonObject } from "#shared/storage/json-objects";
import { requireModel } from "#shared/storage/model-store";

const querySchema = z.strictObject({ checkId: z.string().min(1).max(200).optional() });

/** How far back the newest check that compared distributions is looked for. */
const NEWEST_CHECKS = 50;

/**
 * `GET /v1/models/{id}/distributions?checkId=`: the reference-vs-current histograms of a check (by
 * default the newest that compared the window with a baseline), for the dashboard's charts.
 */
export const handler = apiHandler(async (event) => {
  const modelId = authorizeModelRoute(event, "admin-or-model");
  const { checkId } = parseOrReject(
    querySchema,
    event.queryStringParameters ?? {},
    "Invalid query parameters",
  );
  await requireModel(modelId);
  const check = checkId
    ? await findCheck(modelId, checkId)
    : (await listChecks(modelId, { limit: NEWEST_CHECKS })).checks.find((c) => c.drift.distributionsKey);
  if (!check) {
    throw new NotFoundProblem(
      checkId
        ? `Model "${modelId}" has no check "${checkId}"`
        : `Model "${modelId}" has no check that compared distributions yet`,
    );
  }
  if (!check.drift.distributionsKey) {
    throw new NotFoundProblem(
      `Check "${check.checkId}" compared no distributions (drift ${check.drift.status}${check.drift.reason ? `: ${check.drift.reason}` : ""})`,
    );
  }
  return jsonResponse(200, checkDistributionsSchema.parse(await getJsonObject(check.drift.distributionsKey)));
});
