import type { SQSRecord } from "aws-lambda";
import { z } from "zod";
import { type Notification, notificationSchema } from "#shared/schemas/alert";

/** The SNS envelope SNS writes to a subscribed queue (raw delivery off). */
const snsEnvelopeSchema = z.object({ Type: z.literal("Notification"), Message: z.string() });

/** The notification an alert subscription queue's message carries, inside SNS's envelope. */
export function notificationOf(record: SQSRecord): Notification {
  const envelope = snsEnvelopeSchema.parse(JSON.parse(record.body));
  return notificationSchema.parse(JSON.parse(envelope.Message));
}
