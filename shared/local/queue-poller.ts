import { type Message, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { sqsClient } from "#shared/aws/clients";

/**
 * Long polling, as Lambda's event source mapping does it (it waits 20 s): shorter here, since a
 * stop waits for the poll in flight rather than abort it; an aborted poll may already have taken a
 * message, which would then stay hidden for the visibility timeout.
 */
const WAIT_TIME_SECONDS = 2;
/** The pause after a failed receive (the emulator stopping, say), before polling again. */
const RECEIVE_RETRY_MS = 1000;

export interface QueuePollerOptions {
  queueUrl: string;
  /** Messages per receive (1 to 10). */
  batchSize: number;
  /** How long a received message stays hidden before it is redelivered; the queue's own when unset. */
  visibilityTimeoutSeconds?: number;
  /** Handles one receive's messages; it deletes those it is done with. */
  onMessages: (messages: Message[]) => Promise<void>;
  /** Told about every receive that failed. */
  onError: (error: Error) => void;
}

/** Receives from a queue until stopped, with every attribute, handing each non-empty receive on. */
export function pollQueue(options: QueuePollerOptions): { stop: () => Promise<void> } {
  let stopped = false;
  const poll = async () => {
    while (!stopped) {
      let messages: Message[];
      try {
        ({ Messages: messages = [] } = await sqsClient().send(
          new ReceiveMessageCommand({
            QueueUrl: options.queueUrl,
            MaxNumberOfMessages: options.batchSize,
            WaitTimeSeconds: WAIT_TIME_SECONDS,
            VisibilityTimeout: options.visibilityTimeoutSeconds,
            MessageSystemAttributeNames: ["All"],
            MessageAttributeNames: ["All"],
          }),
        ));
      } catch (error) {
        if (stopped) return;
        options.onError(error as Error);
        await new Promise((resolve) => setTimeout(resolve, RECEIVE_RETRY_MS));
        continue;
      }
      if (messages.length > 0) await options.onMessages(messages);
    }
  };
  const running = poll();
  return {
    stop: async () => {
      stopped = true;
      await running;
    },
  };
}
