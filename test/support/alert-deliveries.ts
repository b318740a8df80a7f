import { randomUUID } from "node:crypto";
import type { SQSBatchResponse, SQSRecord } from "aws-lambda";
import { loadHandler } from "#shared/local/handler-modules";
import { lambdaContext } from "#shared/local/lambda-context";
import type { Notification } from "#shared/schemas/alert";

/**
 * The SQS record an alert subscription queue hands its function: the notification (or, to test a
 * poison message, any text) inside SNS's envelope, under a message id of its own.
 */
export function snsDelivery(notification: Notification | string, queueName: string): SQSRecord {
  const message = typeof notification === "string" ? notification : JSON.stringify(notification);
  return {
    messageId: randomUUID(),
    receiptHandle: randomUUID(),
    body: JSON.stringify({
      Type: "Notification",
      MessageId: randomUUID(),
      TopicArn: "arn:aws:sns:us-east-1:000000000000:driftwatch-alerts",
      Message: message,
      Timestamp: new Date().toISOString(),
    }),
    attributes: {
      ApproximateReceiveCount: "1",
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

/** Invokes the real handler `functions/<handler>.ts` with `records`, as Lambda's event source mapping does. */
export async function invokeWithRecords(handler: string, ...records: SQSRecord[]): Promise<SQSBatchResponse> {
  const invoke = await loadHandler(handler);
  return invoke({ Records: records }, lambdaContext(handler));
}
