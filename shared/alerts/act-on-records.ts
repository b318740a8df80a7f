import type { SQSBatchItemFailure, SQSRecord } from "aws-lambda";
import { logger } from "#shared/observability";
import type { Notification } from "#shared/schemas/alert";
import type { ActionOutcome, EpisodeAction } from "./action-audit.ts";
import type { ActionResult } from "./episode-claims.ts";
import { notificationOf } from "./notification-record.ts";

/** What the logs say of each way an action can end; a refusal is an error, for it needs a person. */
const MESSAGES: Record<EpisodeAction, Record<ActionOutcome | "finished" | "busy" | "error", string>> = {
  rollback: {
    done: "Model rolled back",
    failed: "Rollback refused; not retried, it would fail again",
    skipped: "Rollback skipped",
    suppressed: "Rollback suppressed",
    finished: "Rollback already decided for this alert episode",
    busy: "Rollback in progress in another invocation; SQS redelivers the message",
    error: "Rollback failed; SQS redelivers the message",
  },
  retrain: {
    done: "Retraining requested",
    failed: "Retraining request refused; not retried, it would fail again",
    skipped: "Retraining not requested: nobody to ask",
    suppressed: "Retraining request suppressed",
    finished: "Retraining already requested for this alert episode",
    busy: "Retraining request in progress in another invocation; SQS redelivers the message",
    error: "Retraining request failed; SQS redelivers the message",
  },
};

/**
 * Acts on each record's notification in turn (one model's alerts in a batch are decided in order),
 * logging what came of it.
 *
 * @returns the records to redeliver: those that failed in a way worth retrying, and those another
 *   invocation is acting on; after the queue's last receive, SQS moves them to the dead-letter queue
 */
export async function actOnRecords(
  action: EpisodeAction,
  records: SQSRecord[],
  act: (notification: Notification) => Promise<ActionResult>,
): Promise<SQSBatchItemFailure[]> {
  const messages = MESSAGES[action];
  const failures: SQSBatchItemFailure[] = [];
  for (const record of records) {
    let notification: Notification | undefined;
    try {
      notification = notificationOf(record);
      const result = await act(notification);
      const ids = idsOf(notification);
      if (result.status === "finished") {
        logger.info(messages.finished, { ...ids, outcome: result.outcome });
      } else if (result.status === "busy") {
        logger.warn(messages.busy, { ...ids, claimedAt: result.claimedAt });
        failures.push({ itemIdentifier: record.messageId });
      } else {
        const { outcome, detail, target } = result.audit;
        const context = { ...ids, outcome, detail, target };
        if (outcome === "done") logger.info(messages.done, context);
        else if (outcome === "failed") logger.error(messages.failed, context);
        else logger.warn(messages[outcome], context);
      }
    } catch (error) {
      logger.error(messages.error, {
        messageId: record.messageId,
        receiveCount: Number(record.attributes.ApproximateReceiveCount),
        ...(notification && idsOf(notification)),
        error: error as Error,
      });
      failures.push({ itemIdentifier: record.messageId });
    }
  }
  return failures;
}

function idsOf(notification: Notification) {
  return { modelId: notification.modelId, alertId: notification.alertId, episode: notification.episode };
}
