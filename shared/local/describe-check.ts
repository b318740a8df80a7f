import { format } from "#shared/drift/reason-text";
import { notificationSchema } from "#shared/schemas/alert";
import type { ScheduledCheckEvent } from "./local-scheduler.ts";

/**
 * One line per scheduled check for `npm start`'s output: which model and window, how many rows, the
 * drift status, or the error of a check that failed after its retries (it is in the dead-letter queue);
 * then a line per alert notification the check sent.
 *
 * @example
 * describeCheck({ modelId: "churn", scheduledTime, outcome: { checkId, rows: 600, drift } });
 * // "check churn at 2026-12-01T13:00:00.000Z: 600 rows, 1 feature drifted: tenure, performance steady (GET …)"
 */
export function describeCheck({ modelId, scheduledTime, outcome, error }: ScheduledCheckEvent): string {
  const at = scheduledTime.toISOString();
  if (error)
    return `check ${modelId} at ${at} FAILED after retries (sent to the check dead-letter queue): ${error.message}`;
  const drift = outcome?.drift;
  const verdict =
    drift?.status !== "ok"
      ? `drift ${drift?.status ?? "unknown"}`
      : drift.driftedFeatures?.length
        ? `${drift.driftedFeatures.length} feature${drift.driftedFeatures.length > 1 ? "s" : ""} drifted: ${drift.driftedFeatures.join(", ")}`
        : "no drift";
  const performance = outcome?.performance;
  const decay =
    performance?.status !== "ok"
      ? `performance ${performance?.status ?? "not checked"}`
      : performance.dropped
        ? `performance dropped ${format(100 * (performance.drop ?? 0))}%`
        : "performance steady";
  const alerts = (outcome?.alerts ?? []).map(
    (alert) =>
      `\n  alert ${alert.kind.toUpperCase()} ${alert.severity} ${alert.rule}${alert.feature ? ` (${alert.feature})` : ""}` +
      `${alert.value === null ? "" : ` = ${format(alert.value)}`}` +
      (alert.kind === "resolved" ? "" : ` (POST /v1/alerts/${alert.alertId}/ack)`),
  );
  return `check ${modelId} at ${at}: ${outcome?.rows ?? 0} rows, ${verdict}, ${decay} (GET /v1/models/${modelId}/drift)${alerts.join("")}`;
}

/** A dead-lettered alert delivery, for `npm start`'s output: which alert of which model, or the raw message. */
export function describeDeadLetter(body: string | undefined): string {
  try {
    const notification = notificationSchema.parse(JSON.parse(JSON.parse(body ?? "").Message));
    return `${notification.kind} ${notification.severity} ${notification.rule.name} of ${notification.modelId} (${notification.alertId})`;
  } catch {
    return (body ?? "").slice(0, 200);
  }
}
