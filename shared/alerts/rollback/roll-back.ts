import { type ActionOutcome, recordAudit } from "#shared/alerts/action-audit";
import { ActionRefusedError } from "#shared/alerts/action-failures";
import { type ActionResult, claimEpisode, finishClaim, releaseClaim } from "#shared/alerts/episode-claims";
import { originOf } from "#shared/alerts/post-webhook";
import type { Notification } from "#shared/schemas/alert";
import type { RollbackTarget } from "#shared/schemas/model-config";
import { findModel } from "#shared/storage/model-store";
import { refusalOf } from "./grants.ts";
import { performRollback, type RollbackEffect } from "./perform-rollback.ts";
import { releaseRollbackGuard, takeRollbackGuard } from "./rollback-guard.ts";

export interface RollbackOptions {
  now: Date;
  /** What the deployment granted: the text of `DRIFTWATCH_ROLLBACK_ALLOWED`. */
  granted: string | undefined;
}

/**
 * Rolls the notification's model back to its configured target, once per alert episode and at most
 * once per model per cooldown, auditing the attempt whatever its outcome. A model without a rollback
 * target, a target the deployment was not granted, and one that refuses (an alias with no earlier
 * version, a webhook answering 4xx) end the episode, audited; they would fail the same way again.
 *
 * @throws the error of a failure worth retrying (a server fault, a webhook still failing after its
 *   retries), after auditing it and releasing the episode's claim, so the message's redelivery retries
 */
export async function rollBackModel(
  notification: Notification,
  options: RollbackOptions,
): Promise<ActionResult> {
  const { now } = options;
  const attempt = await claimEpisode("rollback", notification, now);
  if (attempt.status !== "claimed") return attempt;
  const { claim } = attempt;

  const decide = async (
    outcome: ActionOutcome,
    target: RollbackTarget | undefined,
    effect: RollbackEffect,
  ) => {
    await finishClaim(claim, outcome, now);
    const audit = await recordAudit({
      action: "rollback",
      notification,
      target: auditedTarget(target),
      outcome,
      ...effect,
      at: now,
    });
    return { status: "audited" as const, audit };
  };

  const model = await findModel(notification.modelId);
  if (!model)
    return decide("skipped", undefined, { detail: `model ${notification.modelId} no longer exists` });
  // A config stored before alerts existed has no `alerts` at all.
  const target = model.config.alerts?.rollback;
  if (!target) {
    return decide("skipped", undefined, {
      detail: "no rollback target: the model's config has no alerts.rollback",
    });
  }
  const refusal = refusalOf(target, options.granted);
  if (refusal) return decide("failed", target, { detail: `refused: ${refusal}` });

  const cooldownSeconds = model.config.alerts?.cooldownSeconds ?? notification.cooldownSeconds;
  const guard = await takeRollbackGuard(notification, cooldownSeconds, now);
  if (guard.status === "refused") {
    return decide("suppressed", target, {
      detail: `another rollback at ${guard.lastAt} (alert ${guard.alertId}) within the cooldown of ${cooldownSeconds} s`,
    });
  }

  let effect: RollbackEffect;
  try {
    effect = await performRollback(target, notification, claim);
  } catch (error) {
    // Nothing was rolled back: the guard must not hold off the next alert's rollback.
    await releaseRollbackGuard(notification.modelId, guard.lastAt);
    if (error instanceof ActionRefusedError)
      return decide("failed", target, { detail: `refused: ${error.message}` });
    await recordAudit({
      action: "rollback",
      notification,
      target: auditedTarget(target),
      outcome: "failed",
      detail: `${(error as Error).message}; to be retried on the message's redelivery`,
      at: now,
    });
    await releaseClaim(claim);
    throw error;
  }
  return decide("done", target, effect);
}

/** The target as the audit keeps it: a webhook by its origin alone (its path may hold a secret). */
function auditedTarget(target: RollbackTarget | undefined): Record<string, unknown> {
  if (!target) return {};
  return target.type === "webhook" ? { type: "webhook", url: originOf(target.url) } : target;
}
