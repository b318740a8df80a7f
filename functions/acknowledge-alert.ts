import { parseAlertId } from "#shared/alerts/alert-ids";
import { alertView } from "#shared/alerts/alert-view";
import { auditName } from "#shared/auth/principal";
import { requireAccess, requireCaller } from "#shared/auth/require-access";
import { apiHandler } from "#shared/http/api-handler";
import { ConflictProblem, jsonResponse, NotFoundProblem } from "#shared/http/problem";
import { pathParameter } from "#shared/http/request-context";
import { acknowledgeAlert } from "#shared/storage/alert-store";

/**
 * `POST /v1/alerts/{alertId}/ack`: silences a firing alert's reminders until it resolves (a resolved
 * notification is still sent). Acknowledging it again answers the same; a resolved one is a conflict.
 */
export const handler = apiHandler(async (event) => {
  const principal = requireCaller(event);
  const alertId = pathParameter(event, "alertId");
  const parsed = parseAlertId(alertId);
  if (!parsed) throw new NotFoundProblem(`No alert "${alertId}"`);
  requireAccess(principal, parsed.modelId, "admin-or-model");
  const outcome = await acknowledgeAlert(parsed.modelId, parsed.alertKey, auditName(principal), new Date());
  if ("notFound" in outcome) throw new NotFoundProblem(`No alert "${alertId}"`);
  if ("notFiring" in outcome) {
    if (outcome.notFiring.state === "acknowledged") return jsonResponse(200, alertView(outcome.notFiring));
    throw new ConflictProblem(
      `Alert "${alertId}" is ${outcome.notFiring.state}: only a firing alert can be acknowledged`,
    );
  }
  return jsonResponse(200, alertView(outcome.acknowledged));
});
