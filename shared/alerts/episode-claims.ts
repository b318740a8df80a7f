import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { dynamoDbClient } from "#shared/aws/clients";
import { alertActionsTable } from "#shared/aws/resources";
import { tableName } from "#shared/config/environment";
import type { Notification } from "#shared/schemas/alert";
import type { ActionAudit, ActionOutcome, EpisodeAction } from "./action-audit.ts";

/**
 * Longer than the alert handlers' 60 s timeout and shorter than their queues' 360 s visibility
 * timeout: a claim older than this was left by an invocation that died (timed out, crashed), and the
 * message's redelivery takes it over rather than wait for the claim to expire.
 */
export const CLAIM_LEASE_SECONDS = 300;

/** Longer than any redelivery of a message (SQS keeps one 14 days at most). */
const CLAIM_DAYS = 14;

/**
 * An episode this invocation may act on, the steps an earlier attempt already completed, and the
 * change an earlier attempt set out to make and may have made before it failed or died.
 */
export interface EpisodeClaim {
  key: { modelId: string; actionKey: string };
  claimedAt: string;
  completed: ReadonlySet<string>;
  intent?: Record<string, unknown>;
}

export type ClaimAttempt =
  | { status: "claimed"; claim: EpisodeClaim }
  /** An earlier delivery acted on the episode: nothing more to do. */
  | { status: "finished"; outcome: ActionOutcome; finishedAt: string }
  /** Another invocation is acting on it right now: try again later. */
  | { status: "busy"; claimedAt: string };

/**
 * What an alert action made of one delivery: decided the episode (as its audit says), found it
 * decided by an earlier delivery (`finished`), or found another invocation deciding it (`busy`:
 * redeliver later).
 */
export type ActionResult =
  | { status: "audited"; audit: ActionAudit }
  | Exclude<ClaimAttempt, { status: "claimed" }>;

const keyOf = (action: EpisodeAction, notification: Notification) => ({
  modelId: notification.modelId,
  actionKey: `${action}#${notification.alertId}#${notification.episode}`,
});

/**
 * Claims `action` for the notification's alert episode: SNS and SQS deliver at least once and a
 * retried check may publish again, but an episode rolls back (or asks for retraining) once. A claim
 * a failed attempt released, or one left by an invocation that died, is taken over; the steps it
 * completed (see {@link completeStep}) and the change it set out to make (see {@link recordIntent})
 * are kept.
 */
export async function claimEpisode(
  action: EpisodeAction,
  notification: Notification,
  now: Date,
): Promise<ClaimAttempt> {
  const key = keyOf(action, notification);
  const claimedAt = now.toISOString();
  try {
    const { Attributes } = await dynamoDbClient().send(
      new UpdateCommand({
        TableName: tableName(alertActionsTable),
        Key: key,
        UpdateExpression:
          "SET #state = :claimed, claimedAt = :claimedAt, alertId = :alertId, episode = :episode, expiresAt = :expiresAt REMOVE outcome, finishedAt",
        ConditionExpression:
          "attribute_not_exists(actionKey) OR #state = :released OR (#state = :claimed AND claimedAt < :staleBefore)",
        ExpressionAttributeNames: { "#state": "state" },
        ExpressionAttributeValues: {
          ":claimed": "claimed",
          ":released": "released",
          ":claimedAt": claimedAt,
          ":staleBefore": new Date(now.getTime() - CLAIM_LEASE_SECONDS * 1000).toISOString(),
          ":alertId": notification.alertId,
          ":episode": notification.episode,
          ":expiresAt": Math.floor(now.getTime() / 1000) + CLAIM_DAYS * 86_400,
        },
        ReturnValues: "ALL_NEW",
      }),
    );
    const completed = (Attributes?.completed as Set<string> | undefined) ?? new Set<string>();
    const intent = Attributes?.intent as Record<string, unknown> | undefined;
    return { status: "claimed", claim: { key, claimedAt, completed, ...(intent ? { intent } : {}) } };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
  const { Item } = await dynamoDbClient().send(
    new GetCommand({ TableName: tableName(alertActionsTable), Key: key, ConsistentRead: true }),
  );
  if (Item?.state === "finished") {
    return {
      status: "finished",
      outcome: Item.outcome as ActionOutcome,
      finishedAt: Item.finishedAt as string,
    };
  }
  return { status: "busy", claimedAt: (Item?.claimedAt as string | undefined) ?? claimedAt };
}

/**
 * Records that a step of the action (one of retraining's channels) succeeded, so an attempt that
 * takes the claim over after a later step failed does not repeat it.
 */
export async function completeStep(claim: EpisodeClaim, step: string): Promise<void> {
  await updateHeldClaim(claim, "ADD completed :step", { ":step": new Set([step]) });
}

/**
 * Records the change this attempt is about to make, before making it: an attempt that dies, or whose
 * call fails after the change took effect, leaves it for the attempt that takes the claim over to
 * tell whether the change was made.
 */
export async function recordIntent(claim: EpisodeClaim, intent: Record<string, unknown>): Promise<void> {
  await updateHeldClaim(claim, "SET intent = :intent", { ":intent": intent });
}

/** Closes the episode for good: every later delivery of it is a duplicate. */
export async function finishClaim(claim: EpisodeClaim, outcome: ActionOutcome, at: Date): Promise<void> {
  await updateHeldClaim(claim, "SET #state = :finished, outcome = :outcome, finishedAt = :finishedAt", {
    ":finished": "finished",
    ":outcome": outcome,
    ":finishedAt": at.toISOString(),
  });
}

/** Gives the claim up after a failure worth retrying, so the message's redelivery may act. */
export async function releaseClaim(claim: EpisodeClaim): Promise<void> {
  await updateHeldClaim(claim, "SET #state = :released", { ":released": "released" });
}

/** An update of a claim this invocation still holds; one taken over since is left to its new holder. */
async function updateHeldClaim(
  claim: EpisodeClaim,
  update: string,
  values: Record<string, unknown>,
): Promise<void> {
  try {
    await dynamoDbClient().send(
      new UpdateCommand({
        TableName: tableName(alertActionsTable),
        Key: claim.key,
        UpdateExpression: update,
        ConditionExpression: "#state = :held AND claimedAt = :heldSince",
        ExpressionAttributeNames: { "#state": "state" },
        ExpressionAttributeValues: { ...values, ":held": "claimed", ":heldSince": claim.claimedAt },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}
