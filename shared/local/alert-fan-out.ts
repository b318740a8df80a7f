import type { Message } from "@aws-sdk/client-sqs";
import { alertDeadLetterQueue, alertSubscriptionQueues } from "#shared/aws/resources";
import { requiredEnv } from "#shared/config/environment";
import { type SqsEventSource, startSqsEventSource } from "./sqs-event-source.ts";

/**
 * A failed delivery is retried after this long here, rather than after the queue's visibility
 * timeout on AWS (six minutes): a person watching `npm start` sees a failing webhook reach the
 * dead-letter queue within seconds.
 */
const LOCAL_RETRY_SECONDS = 2;

export interface AlertFanOutOptions {
  /** Seconds before a failed delivery is retried (default 2). */
  retrySeconds?: number;
  /** Told about every delivery that threw. */
  onError?: (queue: string, error: Error) => void;
  /** Told about every message that failed its last attempt and moved to the alert dead-letter queue. */
  onDeadLetter?: (queue: string, message: Message) => void;
}

/**
 * The alert topic's subscribers on this machine: each subscription queue (provisioned and subscribed
 * with its filter policy by shared/local/provision.ts) feeds the same handler Lambda's event source
 * mapping feeds on AWS, with the same redrive to the alert dead-letter queue.
 */
export function startAlertFanOut(options: AlertFanOutOptions = {}): { stop: () => Promise<void> } {
  const sources: SqsEventSource[] = alertSubscriptionQueues.map((queue) =>
    startSqsEventSource({
      queueUrl: requiredEnv(queue.envVar),
      handler: queue.handler,
      batchSize: 10,
      visibilityTimeoutSeconds: options.retrySeconds ?? LOCAL_RETRY_SECONDS,
      deadLetter: {
        queueUrl: requiredEnv(alertDeadLetterQueue.envVar),
        maxReceiveCount: queue.maxReceiveCount,
      },
      onError: (error) => options.onError?.(queue.localName, error),
      onDeadLetter: (message) => options.onDeadLetter?.(queue.localName, message),
    }),
  );
  return { stop: async () => void (await Promise.all(sources.map((source) => source.stop()))) };
}
