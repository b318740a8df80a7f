import { PutEventsCommand, type PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import { eventBridgeClient } from "#shared/aws/clients";
import type { Notification } from "#shared/schemas/alert";
import { findModel } from "#shared/storage/model-store";
import { type ActionOutcome, recordAudit } from "./action-audit.ts";
import { ActionRefusedError, refusalOrTransient } from "./action-failures.ts";
import {
  type ActionResult,
  claimEpisode,
  completeStep,
  finishClaim,
  releaseClaim,
} from "./episode-claims.ts";
import { notificationSummary } from "./notification-summary.ts";
import { originOf, postWebhook } from "./post-webhook.ts";

/** The EventBridge bus a retraining request is also sent to (its name or ARN); unset, none is. */
export const EVENT_BUS_ENV_VAR = "DRIFTWATCH_EVENT_BUS";

export const RETRAINING_EVENT_SOURCE = "driftwatch";
export const RETRAINING_DETAIL_TYPE = "Retraining requested";

export interface RetrainingOptions {
  now: Date;
  /** The bus of `DRIFTWATCH_EVENT_BUS`. */
  eventBus: string | undefined;
}

/**
 * The event a retraining request puts on the bus: an EventBridge rule on `source: driftwatch` and
 * `detail-type: Retraining requested` starts the pipeline (a Step Functions state machine, a
 * SageMaker pipeline, CodeBuild).
 */
export function retrainingEvent(notification: Notification, eventBus: string): PutEventsRequestEntry {
  return {
    EventBusName: eventBus,
    Source: RETRAINING_EVENT_SOURCE,
    DetailType: RETRAINING_DETAIL_TYPE,
    Detail: JSON.stringify(notificationSummary(notification)),
  };
}

/** One way the request goes out; each is done once per episode, even when another fails and is retried. */
interface Channel {
  name: string;
  describe: string;
  send: () => Promise<string>;
}

/**
 * Asks for the notification's model to be retrained, once per alert episode: posts the model's
 * `alerts.retrain.webhook` when it has one, and puts an event on the deployment's bus when there is
 * one. With neither there is nobody to ask, which is audited as skipped. A channel that refuses (a
 * webhook answering 4xx, a bus that does not exist) ends the episode as failed.
 *
 * @throws the error of a failure worth retrying, after auditing it and releasing the claim; a
 *   channel that succeeded before it is not repeated on the redelivery
 */
export async function requestRetraining(
  notification: Notification,
  options: RetrainingOptions,
): Promise<ActionResult> {
  const { now } = options;
  const attempt = await claimEpisode("retrain", notification, now);
  if (attempt.status !== "claimed") return attempt;
  const { claim } = attempt;

  const audit = (outcome: ActionOutcome, target: Record<string, unknown>, detail: string) =>
    recordAudit({ action: "retrain", notification, target, outcome, detail, at: now });
  const decide = async (outcome: ActionOutcome, target: Record<string, unknown>, detail: string) => {
    await finishClaim(claim, outcome, now);
    return { status: "audited" as const, audit: await audit(outcome, target, detail) };
  };

  const model = await findModel(notification.modelId);
  if (!model) return decide("skipped", {}, `model ${notification.modelId} no longer exists`);
  // A config stored before alerts existed has no `alerts` at all.
  const webhook = model.config.alerts?.retrain?.webhook;
  const channels: Channel[] = [];
  if (webhook) {
    channels.push({
      name: "webhook",
      describe: `the retraining webhook at ${originOf(webhook)}`,
      send: async () => {
        const status = await postWebhook(
          webhook,
          { action: "retrain", ...notificationSummary(notification) },
          {
            what: "the retraining webhook",
            idempotencyKey: `retrain#${notification.alertId}#${notification.episode}`,
          },
        );
        return `the retraining webhook at ${originOf(webhook)} accepted it (${status})`;
      },
    });
  }
  const { eventBus } = options;
  if (eventBus) {
    channels.push({
      name: "event",
      describe: `event bus ${eventBus}`,
      send: () => putRetrainingEvent(notification, eventBus),
    });
  }
  const target = {
    ...(webhook ? { webhook: originOf(webhook) } : {}),
    ...(eventBus ? { eventBus } : {}),
  };
  if (channels.length === 0) {
    return decide(
      "skipped",
      target,
      `nobody to ask: the model's config has no alerts.retrain.webhook and ${EVENT_BUS_ENV_VAR} is not set`,
    );
  }

  const sent: string[] = [];
  const refused: string[] = [];
  for (const channel of channels) {
    if (claim.completed.has(channel.name)) {
      sent.push(`${channel.describe} was told on an earlier attempt`);
      continue;
    }
    let told: string;
    try {
      told = await channel.send();
    } catch (error) {
      const failure = refusalOrTransient(error);
      if (failure instanceof ActionRefusedError) {
        refused.push(`refused: ${failure.message}`);
        continue;
      }
      await audit(
        "failed",
        target,
        `${[...sent, (error as Error).message].join("; ")}; to be retried on the message's redelivery`,
      );
      await releaseClaim(claim);
      throw error;
    }
    sent.push(told);
    await completeStep(claim, channel.name);
  }
  return refused.length > 0
    ? decide("failed", target, [...refused, ...sent].join("; "))
    : decide("done", target, sent.join("; "));
}

async function putRetrainingEvent(notification: Notification, eventBus: string): Promise<string> {
  const { Entries = [], FailedEntryCount = 0 } = await eventBridgeClient().send(
    new PutEventsCommand({ Entries: [retrainingEvent(notification, eventBus)] }),
  );
  const [entry] = Entries;
  // A failed entry is a fault of the service (throttled, internal): the call itself was accepted.
  if (FailedEntryCount > 0 || !entry?.EventId) {
    throw new Error(
      `event bus ${eventBus} did not take the event: ${entry?.ErrorCode ?? "no event id"} ${entry?.ErrorMessage ?? ""}`.trim(),
    );
  }
  return `event ${entry.EventId} put on bus ${eventBus}`;
}
