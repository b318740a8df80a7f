import { randomUUID } from "node:crypto";
import type { SQSRecord } from "aws-lambda";

/**
 * The record Lambda's event source mapping hands a function for a message of the queue
 * `queueName`, on its `receives`-th receive.
 */
export function sqsRecord(
  body: string,
  queueName: string,
  { messageId = randomUUID(), receives = 1 }: { messageId?: string; receives?: number } = {},
): SQSRecord {
  return {
    messageId,
    receiptHandle: randomUUID(),
    body,
    attributes: {
      ApproximateReceiveCount: String(receives),
      SentTimestamp: String(Date.now()),
      SenderId: "000000000000",
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: `arn:aws:sqs:us-east-1:000000000000:${queueName}`,
    awsRegion: "us-east-1",
  };
}
