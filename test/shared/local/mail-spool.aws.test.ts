import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ListSubscriptionsByTopicCommand, PublishCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { emailMessage } from "#shared/alerts/email-message";
import { snsClient, sqsClient } from "#shared/aws/clients";
import { ALERT_EMAIL_ENV_VAR, alertsTopic } from "#shared/aws/resources";
import {
  type MailSpool,
  matchesFilterPolicy,
  NO_RECIPIENT,
  type SpooledMail,
  startMailSpool,
  subscribeMailSpool,
} from "#shared/local/mail-spool";
import type { Notification } from "#shared/schemas/alert";
import { modelConfigSchema } from "#shared/schemas/model-config";
import { saveModel } from "#shared/storage/model-store";
import { sampleNotification } from "../../support/notifications.ts";
import { uniqueModelId } from "../../support/stored-data.ts";

let dataDir: string;
let topicArn: string;
let queueUrl: string;
let spool: MailSpool;
const mails: SpooledMail[] = [];

beforeAll(async () => {
  Object.assign(process.env, inject("awsEnvironment"));
  topicArn = process.env[alertsTopic.envVar] as string;
  ({ QueueUrl: queueUrl = "" } = await sqsClient().send(
    new CreateQueueCommand({ QueueName: `mail-spool-test-${process.pid}` }),
  ));
  dataDir = await mkdtemp(join(tmpdir(), "driftwatch-mail-"));
  await subscribeMailSpool(topicArn, queueUrl);
  spool = await startMailSpool({ dataDir, queueUrl, onMail: (mail) => mails.push(mail) });
});

afterAll(async () => {
  await spool?.stop();
  await sqsClient().send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

afterEach(() => {
  delete process.env[ALERT_EMAIL_ENV_VAR];
});

async function createModel(emails?: string[]): Promise<string> {
  const modelId = uniqueModelId("mail");
  await saveModel({
    modelId,
    config: modelConfigSchema.parse({ task: "classification", ...(emails ? { alerts: { emails } } : {}) }),
    updatedAt: new Date().toISOString(),
  });
  return modelId;
}

/** Publishes a notification as publish-notification.ts does: its text (or JSON) with the filter attributes. */
async function publish(notification: Notification, format: "text" | "json") {
  const email = emailMessage(notification);
  const attributes = {
    modelId: notification.modelId,
    severity: notification.severity,
    kind: notification.kind,
    action: notification.action,
    format,
  };
  await snsClient().send(
    new PublishCommand({
      TopicArn: topicArn,
      ...(format === "text"
        ? { Subject: email.subject, Message: email.body }
        : { Message: JSON.stringify(notification) }),
      MessageAttributes: Object.fromEntries(
        Object.entries(attributes).map(([name, value]) => [name, { DataType: "String", StringValue: value }]),
      ),
    }),
  );
}

async function waitFor<T>(find: () => T | undefined | Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const found = await find();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Waits for the model's mails to be spooled and the queue drained (nothing left to come). */
async function mailsOf(modelId: string, count: number): Promise<SpooledMail[]> {
  await waitFor(() => {
    const found = mails.filter((mail) => mail.modelId === modelId);
    return found.length >= count ? found : undefined;
  }, `${count} mail(s) of ${modelId}`);
  await waitFor(async () => {
    const { Attributes = {} } = await sqsClient().send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
      }),
    );
    const left =
      Number(Attributes.ApproximateNumberOfMessages ?? 0) +
      Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0);
    return left === 0 ? true : undefined;
  }, "the spool's queue to drain");
  return mails.filter((mail) => mail.modelId === modelId);
}

describe("the local mail spool", () => {
  it("subscribes its queue to the topic once, however often it is asked", async () => {
    await subscribeMailSpool(topicArn, queueUrl);
    const { Subscriptions = [] } = await snsClient().send(
      new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }),
    );
    const spoolQueueArn = `:${queueUrl.split("/").at(-1)}`;
    expect(
      Subscriptions.filter((subscription) => subscription.Endpoint?.endsWith(spoolQueueArn)),
    ).toHaveLength(1);
  });

  it("writes a text notification as a mail to the model's addresses and the stack-level address", async () => {
    process.env[ALERT_EMAIL_ENV_VAR] = "ops@example.com";
    const modelId = await createModel(["ml@example.com", "oncall@example.com"]);
    const notification = sampleNotification({ modelId });
    await publish(notification, "text");

    const [mail] = await mailsOf(modelId, 1);
    expect(mail?.to).toEqual(["ml@example.com", "oncall@example.com", "ops@example.com"]);
    expect((await readdir(spool.dir)).map((name) => join(spool.dir, name))).toContain(mail?.file);
    const { subject, body } = emailMessage(notification);
    const [head, ...rest] = (await readFile(mail?.file as string, "utf8")).split("\n\n");
    expect(head?.split("\n")).toEqual([
      "To: ml@example.com, oncall@example.com, ops@example.com",
      `Subject: ${subject}`,
      expect.stringMatching(/^Date: \w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/),
      "Content-Type: text/plain; charset=utf-8",
    ]);
    expect(rest.join("\n\n")).toBe(body);
  });

  it("does not spool the JSON copy of a notification", async () => {
    const modelId = await createModel(["ml@example.com"]);
    const notification = sampleNotification({ modelId });
    await publish(notification, "json");
    await publish(notification, "text");
    const spooled = await mailsOf(modelId, 1);
    expect(spooled).toHaveLength(1);
    expect(spooled[0]?.subject).toBe(emailMessage(notification).subject);
  });

  it("does not mail an info notification, which no email subscription hears of", async () => {
    const modelId = await createModel(["ml@example.com"]);
    await publish(sampleNotification({ modelId, severity: "info" }), "text");
    await publish(sampleNotification({ modelId, severity: "warning" }), "text");
    const spooled = await mailsOf(modelId, 1);
    expect(spooled).toHaveLength(1);
    expect(spooled[0]?.subject).toMatch(/WARNING/);
  });

  it("still writes the mail when no address is configured, saying so in place of the recipients", async () => {
    const modelId = await createModel();
    await publish(sampleNotification({ modelId }), "text");
    const [mail] = await mailsOf(modelId, 1);
    expect(mail?.to).toEqual([]);
    expect((await readFile(mail?.file as string, "utf8")).split("\n")[0]).toBe(`To: ${NO_RECIPIENT}`);
  });

  it("addresses a model whose config is gone to the stack-level address alone", async () => {
    process.env[ALERT_EMAIL_ENV_VAR] = "ops@example.com";
    const modelId = uniqueModelId("never-stored");
    await publish(sampleNotification({ modelId }), "text");
    const [mail] = await mailsOf(modelId, 1);
    expect(mail?.to).toEqual(["ops@example.com"]);
  });
});

describe("matching a filter policy", () => {
  const policy = { format: ["text"], severity: ["warning", "critical"], modelId: ["churn"] };

  it("lets a message through when every key has one of its values", () => {
    expect(
      matchesFilterPolicy(policy, { format: "text", severity: "critical", modelId: "churn", kind: "x" }),
    ).toBe(true);
  });

  it("stops a message with a value outside a key's list, or without the key", () => {
    expect(matchesFilterPolicy(policy, { format: "json", severity: "critical", modelId: "churn" })).toBe(
      false,
    );
    expect(matchesFilterPolicy(policy, { format: "text", severity: "critical", modelId: "fraud" })).toBe(
      false,
    );
    expect(matchesFilterPolicy(policy, { format: "text", severity: "critical" })).toBe(false);
  });
});
