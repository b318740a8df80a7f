import { DeleteMessageCommand, type Message, SendMessageCommand } from "@aws-sdk/client-sqs";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { sqsClient } from "#shared/aws/clients";
import { loadHandler } from "./handler-modules.ts";
import { lambdaContext } from "./lambda-context.ts";
import { LOCAL_REGION } from "./local-credentials.ts";
import { pollQueue } from "./queue-poller.ts";

export interface SqsEventSourceOptions {
  queueUrl: string;
  /** File name (without extension) of the handler in functions/. */
  handler: string;
  /** Messages per invocation. @default 1 */
  batchSize?: number;
  /** How long a received message stays hidden before it is redelivered; the queue's own when unset. */
  visibilityTimeoutSeconds?: number;
  /** The redrive policy: a message received more often than `maxReceiveCount` moves there. */
  deadLetter?: { queueUrl: string; maxReceiveCount: number };
  /** Told about every invocation that threw (its messages stay, for redelivery). */
  onError?: (error: Error) => void;
  /** Told about every message moved to the dead-letter queue. */
  onDeadLetter?: (message: Message) => void;
}

export interface SqsEventSource {
  stop: () => Promise<void>;
}

/**
 * Lambda's SQS event source mapping, on this machine: long-polls the queue, invokes the handler in
 * this process with a real `SQSEvent`, deletes the messages it handled, and leaves those it failed
 * (a thrown error: all of them; `batchItemFailures`: those listed) to reappear after the visibility
 * timeout. The redrive policy the queue has on AWS is applied here, since the local queues are
 * created without attributes.
 */
export function startSqsEventSource(options: SqsEventSourceOptions): SqsEventSource {
  const sqs = sqsClient();
  const onError = options.onError ?? (() => undefined);
  const handle = async (messages: Message[]) => {
    const deliverable: Message[] = [];
    for (const message of messages) {
      if (await redriven(message)) continue;
      deliverable.push(message);
    }
    if (deliverable.length > 0) await deliver(deliverable);
  };

  /** Moves a message received too often to the dead-letter queue, as SQS's redrive policy would. */
  const redriven = async (message: Message): Promise<boolean> => {
    const { deadLetter } = options;
    const receives = Number(message.Attributes?.ApproximateReceiveCount ?? 1);
    if (!deadLetter || receives <= deadLetter.maxReceiveCount) return false;
    await sqs.send(new SendMessageCommand({ QueueUrl: deadLetter.queueUrl, MessageBody: message.Body }));
    await remove(message);
    options.onDeadLetter?.(message);
    return true;
  };

  const deliver = async (messages: Message[]) => {
    const event: SQSEvent = { Records: messages.map((message) => sqsRecord(message, options.queueUrl)) };
    let failed: Set<string>;
    try {
      const handler = await loadHandler(options.handler);
      const response = (await handler(event, lambdaContext(options.handler))) as SQSBatchResponse | undefined;
      failed = new Set(response?.batchItemFailures?.map((failure) => failure.itemIdentifier) ?? []);
    } catch (error) {
      onError(error as Error);
      return;
    }
    await Promise.all(messages.filter((message) => !failed.has(message.MessageId ?? "")).map(remove));
  };

  const remove = (message: Message) =>
    sqs.send(new DeleteMessageCommand({ QueueUrl: options.queueUrl, ReceiptHandle: message.ReceiptHandle }));

  return pollQueue({
    queueUrl: options.queueUrl,
    batchSize: options.batchSize ?? 1,
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds,
    onMessages: handle,
    onError,
  });
}

/** A received message as Lambda hands it to the function. */
function sqsRecord(message: Message, queueUrl: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  const queueName = new URL(queueUrl).pathname.split("/").at(-1) ?? "";
  return {
    messageId: message.MessageId ?? "",
    receiptHandle: message.ReceiptHandle ?? "",
    body: message.Body ?? "",
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? "1",
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? "000000000000",
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
        name,
        {
          dataType: value.DataType ?? "String",
          stringValue: value.StringValue,
          binaryValue: value.BinaryValue && Buffer.from(value.BinaryValue).toString("base64"),
          stringListValues: [],
          binaryListValues: [],
        },
      ]),
    ),
    md5OfBody: message.MD5OfBody ?? "",
    eventSource: "aws:sqs",
    eventSourceARN: `arn:aws:sqs:${LOCAL_REGION}:000000000000:${queueName}`,
    awsRegion: LOCAL_REGION,
  };
}
