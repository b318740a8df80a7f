import type { Node } from "constructs";
import { DEFAULT_RETENTION_DAYS } from "#shared/aws/resources";

export const RETENTION_CONTEXT_KEY = "driftwatch:retentionDays";

/**
 * Days raw logs and prediction items are kept, from the `driftwatch:retentionDays` context
 * (cdk.json, or `-c driftwatch:retentionDays=30`, which arrives as a string).
 */
export function retentionDaysFromContext(node: Node): number {
  const configured: unknown = node.tryGetContext(RETENTION_CONTEXT_KEY);
  if (configured === undefined) return DEFAULT_RETENTION_DAYS;
  const days = typeof configured === "string" && configured.trim() !== "" ? Number(configured) : configured;
  if (typeof days !== "number" || !Number.isSafeInteger(days) || days <= 0) {
    throw new Error(
      `Context "${RETENTION_CONTEXT_KEY}" must be a positive whole number of days (for example -c ${RETENTION_CONTEXT_KEY}=30), got ${JSON.stringify(configured)}.`,
    );
  }
  return days;
}
