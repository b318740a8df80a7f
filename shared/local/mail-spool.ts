import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DeleteMessageCommand, type Message } from "@aws-sdk/client-sqs";
import { z } from "zod";
import { emailsOf } from "#shared/alerts/email-subscriptions";
import { snsClient, sqsClient } from "#shared/aws/clients";
import { ALERT_EMAIL_ENV_VAR, emailFilterPolicy } from "#shared/aws/resources";
import { findModel } from "#shared/storage/model-store";
import { subscribeQueue } from "./provision.ts";
import { pollQueue } from "./queue-poller.ts";

/** What the spool's queue hears of: every readable text message, as the email subscriptions do. */
export const MAIL_SPOOL_FILTER_POLICY = { format: ["text"] };

/** Shown in place of recipients, so a user sees what would be mailed and why it is not. */
export const NO_RECIPIENT = "(no address configured: set alerts.emails or DRIFTWATCH_ALERT_EMAIL)";

/** The SNS envelope a subscribed queue receives (raw delivery off). */
const snsEnvelopeSchema = z.object({
  Type: z.literal("Notification"),
  MessageId: z.string(),
  Subject: z.string().nullish(),
  Message: z.string(),
  Timestamp: z.string(),
  MessageAttributes: z.record(z.string(), z.object({ Type: z.string(), Value: z.string() })).optional(),
});

/** One spooled mail. */
export interface SpooledMail {
  file: string;
  /** The addresses SNS would mail; empty when none is configured. */
  to: string[];
  subject: string;
  modelId: string;
}

export interface MailSpoolOptions {
  /** The local data folder; mail goes to `<dataDir>/mail/`. */
  dataDir: string;
  /** A queue the caller subscribed to the alerts topic with `MAIL_SPOOL_FILTER_POLICY`. */
  queueUrl: string;
  /** Told about every mail written. */
  onMail?: (mail: SpooledMail) => void;
  /** Told about a message that could not be spooled (it stays for redelivery, unless unreadable). */
  onError?: (error: Error) => void;
}

export interface MailSpool {
  dir: string;
  stop: () => Promise<void>;
}

/**
 * SNS mails nobody on this machine (fauxqs keeps email subscriptions but delivers to queues only),
 * so the spool writes each alert mail to a file instead: one readable `.eml` per text notification,
 * addressed as SNS email subscriptions would address it, the model's `alerts.emails` and the
 * stack-level address (DRIFTWATCH_ALERT_EMAIL), each when its filter policy matches the message.
 */
export async function startMailSpool(options: MailSpoolOptions): Promise<MailSpool> {
  const dir = join(options.dataDir, "mail");
  await mkdir(dir, { recursive: true });
  const sqs = sqsClient();
  const onError = options.onError ?? (() => undefined);

  const remove = (message: Message) =>
    sqs.send(new DeleteMessageCommand({ QueueUrl: options.queueUrl, ReceiptHandle: message.ReceiptHandle }));

  const handle = async (message: Message) => {
    let envelope: z.infer<typeof snsEnvelopeSchema>;
    try {
      envelope = snsEnvelopeSchema.parse(JSON.parse(message.Body ?? ""));
    } catch (error) {
      // Not an SNS notification: no retry can make it one.
      onError(new Error(`Mail spool: dropped an unreadable message (${(error as Error).message})`));
      await remove(message);
      return;
    }
    try {
      const mail = await spool(dir, envelope);
      await remove(message);
      if (mail) options.onMail?.(mail);
    } catch (error) {
      onError(error as Error);
    }
  };

  const poller = pollQueue({
    queueUrl: options.queueUrl,
    batchSize: 10,
    onMessages: async (messages) => {
      for (const message of messages) await handle(message);
    },
    onError,
  });
  return { dir, stop: poller.stop };
}

/** Subscribes the spool's queue to the topic (once, across restarts). */
export function subscribeMailSpool(topicArn: string, queueUrl: string): Promise<void> {
  return subscribeQueue(snsClient(), sqsClient(), topicArn, queueUrl, MAIL_SPOOL_FILTER_POLICY);
}

/**
 * Writes the mail of one text notification, named after its SNS message id (a redelivered message
 * overwrites its own file); undefined for a message no email subscription would receive.
 */
async function spool(
  dir: string,
  envelope: z.infer<typeof snsEnvelopeSchema>,
): Promise<SpooledMail | undefined> {
  const attributes = Object.fromEntries(
    Object.entries(envelope.MessageAttributes ?? {}).map(([name, attribute]) => [name, attribute.Value]),
  );
  // What every email subscription asks for (text, warning and above), whichever model it hears of.
  if (!matchesFilterPolicy(emailFilterPolicy(), attributes)) return undefined;
  const modelId = attributes.modelId ?? "";
  const to = await recipientsOf(modelId, attributes);
  const subject = envelope.Subject ?? "";
  const file = join(dir, `${envelope.Timestamp.replace(/[:.]/g, "-")}-${envelope.MessageId}.eml`);
  const headers = [
    `To: ${to.length > 0 ? to.join(", ") : NO_RECIPIENT}`,
    `Subject: ${subject}`,
    `Date: ${new Date(envelope.Timestamp).toUTCString()}`,
    "Content-Type: text/plain; charset=utf-8",
  ];
  await writeFile(file, `${headers.join("\n")}\n\n${envelope.Message}`);
  return { file, to, subject, modelId };
}

/** The addresses whose subscriptions' filter policies let the message through. */
async function recipientsOf(modelId: string, attributes: Record<string, string>): Promise<string[]> {
  const model = modelId ? await findModel(modelId) : undefined;
  const subscriptions = [
    ...emailsOf(model?.config).map((address) => ({ address, policy: emailFilterPolicy(modelId) })),
    ...(process.env[ALERT_EMAIL_ENV_VAR]
      ? [{ address: process.env[ALERT_EMAIL_ENV_VAR], policy: emailFilterPolicy() }]
      : []),
  ];
  const matching = subscriptions.filter(({ policy }) => matchesFilterPolicy(policy, attributes));
  return [...new Set(matching.map(({ address }) => address))];
}

/**
 * Whether SNS would deliver a message with these string attributes to a subscription with this
 * filter policy, for the exact-match policies DriftWatch uses: every key must be present with one
 * of its values.
 *
 * @example
 * matchesFilterPolicy({ format: ["text"], severity: ["warning", "critical"] }, { format: "text", severity: "critical" }); // true
 */
export function matchesFilterPolicy(
  policy: Record<string, readonly string[]>,
  attributes: Record<string, string | undefined>,
): boolean {
  return Object.entries(policy).every(([name, values]) => {
    const value = attributes[name];
    return value !== undefined && values.includes(value);
  });
}
