import { randomUUID } from "node:crypto";
import type { SQSBatchResponse, SQSRecord } from "aws-lambda";
import { loadHandler } from "#shared/local/handler-modules";
import { lambdaContext } from "#shared/local/lambda-context";
import type { Notification } from "#shared/schemas/alert";
import { sqsRecord } from "./sqs-records.ts";

/**
 * The SQS record an alert subscription queue hands its function: the notification (or, to test a
 * poison message, any text) inside SNS's envelope, under a message id of its own.
 */
export function snsDelivery(notification: Notification | string, queueName: string): SQSRecord {
  const message = typeof notification === "string" ? notification : JSON.stringify(notification);
  const envelope = {
    Type: "Notification",
    MessageId: randomUUID(),
    TopicArn: "arn:aws:sns:us-east-1:000000000000:driftwatch-alerts",
    Message: message,
    Timestamp: new Date().toISOString(),
  };
  return sqsRecord(JSON.stringify(envelope), queueName);
}

/** Invokes the real handler `functions/<handler>.ts` with `records`, as Lambda's event source mapping does. */
export async function invokeWithRecords(handler: string, ...records: SQSRecord[]): Promise<SQSBatchResponse> {
  const invoke = await loadHandler(handler);
  return invoke({ Records: records }, lambdaContext(handler));
}
