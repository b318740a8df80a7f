import { format } from "#shared/drift/reason-text";
import type { ScheduledCheckEvent } from "./local-scheduler.ts";

/**
 * One line per scheduled check for `npm start`'s output: which model and window, how many rows, the
 * drift status, or the error of a check that failed after its retries (it is in the dead-letter queue).
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
  return `check ${modelId} at ${at}: ${outcome?.rows ?? 0} rows, ${verdict}, ${decay} (GET /v1/models/${modelId}/drift)`;
}
